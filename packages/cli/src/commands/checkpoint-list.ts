/** checkpoint-list: a domain's checkpoints as a table, names or a tree, with virsh's filters. */
import {
  CheckpointXmlFlags,
  type DomainCheckpoint,
  CheckpointListFlags as F,
  parseDomainCheckpointXml,
} from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain } from '../lookup.js';
import { creationText } from '../output/creation-time.js';
import { Table } from '../output/table.js';
import { renderTree, type TreeNode } from '../output/tree.js';
import type { ParsedCommand } from '../parse-args.js';
import { checkpointParentName, lookupCheckpoint } from './checkpoint.js';
import { caseCompare } from './common.js';
import { type CommandDef, opt } from './types.js';

/** Option pairs that cannot go together, in virsh's order. */
const EXCLUSIVE: ReadonlyArray<[string, string]> = [
  ['tree', 'name'],
  ['parent', 'roots'],
  ['parent', 'tree'],
  ['roots', 'tree'],
  ['roots', 'from'],
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
  for (const [name, flag] of [
    ['leaves', F.LEAVES],
    ['no-leaves', F.NO_LEAVES],
  ] as const) {
    if (!cmd.bool(name)) continue;
    if (cmd.bool('tree')) {
      ctl.error(`--${name} and --tree are mutually exclusive`);
      return undefined;
    }
    flags |= flag;
  }
  if (cmd.bool('topological')) flags |= F.TOPOLOGICAL;
  if (cmd.bool('roots')) flags |= F.ROOTS;
  if (cmd.bool('descendants')) {
    if (!cmd.has('from')) {
      ctl.error('--descendants requires --from');
      return undefined;
    }
    flags |= F.DESCENDANTS;
  }
  return flags;
}

/** The creation time from the checkpoint's XML, as virsh reads it for the table. */
async function creationTime(chk: DomainCheckpoint): Promise<number | undefined> {
  const xml = await chk.getXmlDesc(CheckpointXmlFlags.NO_DOMAIN);
  return parseDomainCheckpointXml(xml, { redefine: true }).creationTime;
}

const checkpointList: CommandDef = {
  name: 'checkpoint-list',
  group: 'checkpoint',
  help: 'List checkpoints for a domain',
  desc: 'Checkpoint List',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('parent', 'add a column showing parent checkpoint'),
    opt.bool('roots', 'list only checkpoints without parents'),
    opt.bool('leaves', 'list only checkpoints without children'),
    opt.bool('no-leaves', 'list only checkpoints that are not leaves (with children)'),
    opt.bool('tree', 'list checkpoints in a tree'),
    opt.string('from', 'limit list to children of given checkpoint'),
    opt.bool('descendants', 'with --from, list all descendants'),
    opt.bool('name', 'list checkpoint names only'),
    opt.bool('topological', 'sort list topologically rather than by name'),
  ],
  async run(ctl, cmd) {
    const flags = listFlags(ctl, cmd);
    if (flags === undefined) return false;
    const tree = cmd.bool('tree');
    const { dom } = await optDomain(ctl, cmd);
    const start = cmd.has('from') ? await lookupCheckpoint(ctl, cmd, 'from', dom) : undefined;
    if (cmd.has('from') && !start) return false;

    // A tree from a checkpoint lists its whole subtree, with the checkpoint itself as root.
    const chks = start
      ? await start.listAllChildren(tree ? flags | F.DESCENDANTS : flags)
      : await dom.listAllCheckpoints(flags);
    if (!(flags & F.TOPOLOGICAL)) chks.sort((a, b) => caseCompare(a.getName(), b.getName()));

    if (tree) {
      const nodes: TreeNode[] = [];
      for (const chk of chks) nodes.push({ name: chk.getName(), parent: await checkpointParentName(chk) });
      const roots = start ? [{ name: start.getName(), parent: undefined }] : nodes.filter((n) => !n.parent);
      ctl.data(nodes.map((n) => ({ name: n.name, parent: n.parent ?? null })));
      ctl.print(roots.map((r) => renderTree(nodes, r)).join(''));
      return true;
    }
    if (cmd.bool('name')) {
      ctl.data(chks.map((c) => c.getName()));
      ctl.print(chks.map((c) => `${c.getName()}\n`).join(''));
      return true;
    }
    const withParent = cmd.bool('parent');
    const table = new Table(withParent ? ['Name', 'Creation Time', 'Parent'] : ['Name', 'Creation Time']);
    const doc: Record<string, unknown>[] = [];
    for (const chk of chks) {
      const created = await creationTime(chk);
      const row = [chk.getName(), creationText(created)];
      const parent = withParent ? await checkpointParentName(chk) : undefined;
      if (withParent) row.push(parent ?? '');
      table.add(...row);
      doc.push({ name: chk.getName(), creationTime: created, ...(withParent ? { parent: parent ?? null } : {}) });
    }
    ctl.data(doc);
    ctl.print(table.render());
    return true;
  },
};

export const checkpointListCommands: readonly CommandDef[] = [checkpointList];
