/** snapshot-list: a domain's snapshots as a table, names or a tree, with virsh's filters. */
import { type DomainSnapshot, SnapshotListFlags as F, parseDomainSnapshotXml } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain } from '../lookup.js';
import { creationText } from '../output/creation-time.js';
import { Table } from '../output/table.js';
import { renderTree, type TreeNode } from '../output/tree.js';
import type { ParsedCommand } from '../parse-args.js';
import { caseCompare } from './common.js';
import { type CommandDef, opt } from './types.js';

/** Filter options, in the order virsh checks them against --tree. */
const TREE_EXCLUSIVE_FILTERS: ReadonlyArray<[string, number]> = [
  ['leaves', F.LEAVES],
  ['no-leaves', F.NO_LEAVES],
  ['inactive', F.INACTIVE],
  ['active', F.ACTIVE],
  ['disk-only', F.DISK_ONLY],
  ['internal', F.INTERNAL],
  ['external', F.EXTERNAL],
];

/** Option pairs that cannot go together, in virsh's order. */
const EXCLUSIVE: ReadonlyArray<[string, string]> = [
  ['tree', 'name'],
  ['parent', 'roots'],
  ['parent', 'tree'],
  ['roots', 'tree'],
  ['roots', 'from'],
  ['roots', 'current'],
];

/** The listing flags the options ask for; undefined (error printed) for a bad combination. */
function listFlags(ctl: Control, cmd: ParsedCommand): number | undefined {
  for (const [a, b] of EXCLUSIVE) {
    if (cmd.has(a) && cmd.has(b)) {
      ctl.error(`Options --${a} and --${b} are mutually exclusive`);
      return undefined;
    }
  }
  let flags = 0;
  for (const [name, flag] of TREE_EXCLUSIVE_FILTERS) {
    if (!cmd.bool(name)) continue;
    if (cmd.bool('tree')) {
      ctl.error(`--${name} and --tree are mutually exclusive`);
      return undefined;
    }
    flags |= flag;
  }
  if (cmd.bool('roots')) flags |= F.ROOTS;
  if (cmd.bool('metadata')) flags |= F.METADATA;
  if (cmd.bool('no-metadata')) flags |= F.NO_METADATA;
  if (cmd.bool('topological')) flags |= F.TOPOLOGICAL;
  if (cmd.bool('descendants')) {
    if (!cmd.has('from') && !cmd.bool('current')) {
      ctl.error('--descendants requires either --from or --current');
      return undefined;
    }
    flags |= F.DESCENDANTS;
  }
  return flags;
}

async function parentName(snap: DomainSnapshot): Promise<string | undefined> {
  const def = parseDomainSnapshotXml(await snap.getXmlDesc(), { redefine: true });
  return def.parent;
}

const snapshotList: CommandDef = {
  name: 'snapshot-list',
  group: 'snapshot',
  help: 'List snapshots for a domain',
  desc: 'Snapshot List',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('parent', 'add a column showing parent snapshot'),
    opt.bool('roots', 'list only snapshots without parents'),
    opt.bool('leaves', 'list only snapshots without children'),
    opt.bool('no-leaves', 'list only snapshots that are not leaves (with children)'),
    opt.bool('metadata', 'list only snapshots that have metadata that would prevent undefine'),
    opt.bool('no-metadata', 'list only snapshots that have no metadata managed by libvirt'),
    opt.bool('inactive', 'filter by snapshots taken while inactive'),
    opt.bool('active', 'filter by snapshots taken while active (full system snapshots)'),
    opt.bool('disk-only', 'filter by disk-only snapshots'),
    opt.bool('internal', 'filter by internal snapshots'),
    opt.bool('external', 'filter by external snapshots'),
    opt.bool('tree', 'list snapshots in a tree'),
    opt.string('from', 'limit list to children of given snapshot'),
    opt.bool('current', 'limit list to children of current snapshot'),
    opt.bool('descendants', 'with --from, list all descendants'),
    opt.bool('name', 'list snapshot names only'),
    opt.bool('topological', 'sort list topologically rather than by name'),
  ],
  async run(ctl, cmd) {
    const flags = listFlags(ctl, cmd);
    if (flags === undefined) return false;
    const tree = cmd.bool('tree');
    const { dom } = await optDomain(ctl, cmd);
    const fromName = cmd.string('from');
    if (fromName !== undefined && cmd.bool('current')) {
      ctl.error('--from and --current are mutually exclusive');
      return false;
    }
    const start =
      fromName !== undefined
        ? await dom.snapshotLookupByName(fromName)
        : cmd.bool('current')
          ? await dom.snapshotCurrent()
          : undefined;

    let snaps: DomainSnapshot[];
    if (start) {
      // A tree from a snapshot has the snapshot itself as its root.
      snaps = await start.listAllChildren(flags);
    } else {
      snaps = await dom.listAllSnapshots(flags);
    }
    if (!(flags & F.TOPOLOGICAL)) snaps.sort((a, b) => caseCompare(a.getName(), b.getName()));

    if (tree) {
      const nodes: TreeNode[] = [];
      for (const snap of snaps) nodes.push({ name: snap.getName(), parent: await parentName(snap) });
      const roots = start ? [{ name: start.getName(), parent: undefined }] : nodes.filter((n) => !n.parent);
      ctl.data(nodes.map((n) => ({ name: n.name, parent: n.parent ?? null })));
      ctl.print(roots.map((r) => renderTree(nodes, r)).join(''));
      return true;
    }
    if (cmd.bool('name')) {
      ctl.data(snaps.map((s) => s.getName()));
      ctl.print(snaps.map((s) => `${s.getName()}\n`).join(''));
      return true;
    }
    const withParent = cmd.bool('parent');
    const table = new Table(
      withParent ? ['Name', 'Creation Time', 'State', 'Parent'] : ['Name', 'Creation Time', 'State'],
    );
    const doc: Record<string, unknown>[] = [];
    for (const snap of snaps) {
      const def = parseDomainSnapshotXml(await snap.getXmlDesc(), { redefine: true });
      const row = [snap.getName(), creationText(def.creationTime), def.state ?? ''];
      if (withParent) row.push(def.parent ?? '');
      table.add(...row);
      doc.push({ name: snap.getName(), creationTime: def.creationTime, state: def.state, parent: def.parent ?? null });
    }
    ctl.data(doc);
    ctl.print(table.render());
    return true;
  },
};

export const snapshotListCommands: readonly CommandDef[] = [snapshotList];
