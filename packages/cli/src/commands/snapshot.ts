/** snapshot-create, snapshot-create-as, snapshot-current, snapshot-delete, snapshot-dumpxml, snapshot-edit (refused), snapshot-parent and snapshot-revert, as virsh. */
import {
  type Domain,
  type DomainSnapshot,
  ErrorCode,
  formatDomainSnapshotXml,
  isVirError,
  SnapshotCreateFlags,
  SnapshotDeleteFlags,
  SnapshotRevertFlags,
} from '@tsvirt/core';
import type { Control } from '../control.js';
import { readXmlFile } from '../files.js';
import { optDomain, optString } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act, dumpXml, exclusive, XPATH_OPTS } from './common.js';
import { type CommandDef, opt } from './types.js';

const Revert = SnapshotRevertFlags;

/** --snapshotname or --current, as virsh's virshLookupSnapshot; undefined (error printed) when neither. */
async function pickSnapshot(ctl: Control, cmd: ParsedCommand, dom: Domain): Promise<DomainSnapshot | undefined> {
  const name = cmd.string('snapshotname');
  if (name !== undefined) return dom.snapshotLookupByName(name);
  if (cmd.bool('current')) return dom.snapshotCurrent();
  ctl.error('--snapshotname or --current is required');
  return undefined;
}

/** The options createFlags() reads, shared by snapshot-create and snapshot-create-as (virsh's order). */
const CREATE_FLAG_OPTS = [
  opt.bool('no-metadata', 'take snapshot but create no metadata'),
  opt.bool('halt', 'halt domain after snapshot is created'),
  opt.bool('disk-only', 'capture disk state but not vm state'),
  opt.bool('reuse-external', 'reuse any existing external files'),
  opt.bool('quiesce', "quiesce guest's file systems"),
  opt.bool('atomic', 'require atomic operation'),
  opt.bool('live', 'take a live snapshot'),
  opt.bool('validate', 'validate the XML against the schema'),
];

/** The create flags both create commands share, from their options. */
function createFlags(cmd: ParsedCommand): number {
  const F = SnapshotCreateFlags;
  let flags = 0;
  if (cmd.bool('no-metadata')) flags |= F.NO_METADATA;
  if (cmd.bool('halt')) flags |= F.HALT;
  if (cmd.bool('disk-only')) flags |= F.DISK_ONLY;
  if (cmd.bool('reuse-external')) flags |= F.REUSE_EXT;
  if (cmd.bool('quiesce')) flags |= F.QUIESCE;
  if (cmd.bool('atomic')) flags |= F.ATOMIC;
  if (cmd.bool('live')) flags |= F.LIVE;
  if (cmd.bool('validate')) flags |= F.VALIDATE;
  return flags;
}

const snapshotCreate: CommandDef = {
  name: 'snapshot-create',
  group: 'snapshot',
  help: 'Create a snapshot from XML',
  desc: 'Create a snapshot (disk and RAM) from XML',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('xmlfile', 'domain snapshot XML'),
    opt.bool('redefine', 'redefine metadata for existing snapshot'),
    opt.bool('current', 'with redefine, set current snapshot'),
    ...CREATE_FLAG_OPTS,
  ],
  async run(ctl, cmd) {
    const F = SnapshotCreateFlags;
    let flags = createFlags(cmd);
    if (cmd.bool('redefine')) flags |= F.REDEFINE;
    if (cmd.bool('current')) flags |= F.CURRENT;
    const { dom } = await optDomain(ctl, cmd);
    const file = optString(ctl, cmd, 'xmlfile');
    // Without a file virsh asks for a snapshot with every default.
    let xml = '<domainsnapshot/>';
    if (file !== undefined) {
      try {
        xml = readXmlFile(file);
      } catch (e) {
        ctl.saveError(e);
        return false;
      }
    }
    const snap = await dom.createSnapshotXml(xml, flags);
    ctl.data({ name: snap.getName() });
    // No newline of its own: the blank line virsh prints after every command ends it.
    ctl.printExtra(
      file === undefined
        ? `Domain snapshot ${snap.getName()} created`
        : `Domain snapshot ${snap.getName()} created from '${file}'`,
    );
    return true;
  },
};

const snapshotCreateAs: CommandDef = {
  name: 'snapshot-create-as',
  group: 'snapshot',
  help: 'Create a snapshot from a set of args',
  desc: 'Create a snapshot (disk and RAM) from arguments',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('name', 'name of snapshot'),
    opt.string('description', 'description of snapshot'),
    opt.bool('print-xml', 'print XML document rather than create'),
    ...CREATE_FLAG_OPTS,
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const name = cmd.string('name');
    const description = cmd.string('description');
    const xml = formatDomainSnapshotXml({
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
    });
    if (cmd.bool('print-xml')) {
      // virsh adds a newline of its own after the document's.
      ctl.print(`${xml}\n`);
      return true;
    }
    const snap = await dom.createSnapshotXml(xml, createFlags(cmd));
    ctl.data({ name: snap.getName() });
    // No newline of its own: the blank line virsh prints after every command ends it.
    ctl.printExtra(`Domain snapshot ${snap.getName()} created`);
    return true;
  },
};

const snapshotCurrent: CommandDef = {
  name: 'snapshot-current',
  group: 'snapshot',
  help: 'Get or set the current snapshot',
  desc: 'Get or set the current snapshot',
  opts: [opt.data('domain', 'domain name, id or uuid'), opt.bool('name', 'list the name, rather than the full xml')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    let snap: DomainSnapshot;
    try {
      snap = await dom.snapshotCurrent();
    } catch {
      ctl.resetError();
      ctl.error(`domain '${dom.getName()}' has no current snapshot`);
      return false;
    }
    // --name: no newline of its own, the blank line after every command ends it.
    const text = cmd.bool('name') ? snap.getName() : await snap.getXmlDesc();
    ctl.data({ name: snap.getName() });
    ctl.print(text);
    return true;
  },
};

const snapshotRevert: CommandDef = {
  name: 'snapshot-revert',
  group: 'snapshot',
  help: 'Revert a domain to a snapshot',
  desc: 'Revert domain to snapshot',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('snapshotname', 'snapshot name'),
    opt.bool('current', 'revert to current snapshot'),
    opt.bool('running', 'after reverting, change state to running'),
    opt.bool('paused', 'after reverting, change state to paused'),
    opt.bool('force', 'try harder on risky reverts'),
    opt.bool('reset-nvram', 're-initialize NVRAM from its pristine template'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const snap = await pickSnapshot(ctl, cmd, dom);
    if (!snap) return false;
    let flags = 0;
    if (cmd.bool('running')) flags |= Revert.RUNNING;
    if (cmd.bool('paused')) flags |= Revert.PAUSED;
    if (cmd.bool('force')) flags |= Revert.FORCE;
    if (cmd.bool('reset-nvram')) flags |= Revert.RESET_NVRAM;
    await snap.revert(flags);
    ctl.printExtra(`Domain snapshot ${snap.getName()} reverted\n`);
    return true;
  },
};

const snapshotDelete: CommandDef = {
  name: 'snapshot-delete',
  group: 'snapshot',
  help: 'Delete a domain snapshot',
  desc: 'Snapshot Delete',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('snapshotname', 'snapshot name'),
    opt.bool('current', 'delete current snapshot'),
    opt.bool('children', 'delete snapshot and all children'),
    opt.bool('children-only', 'delete children but not snapshot'),
    opt.bool('metadata', 'delete only libvirt metadata, leaving snapshot contents behind'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const snap = await pickSnapshot(ctl, cmd, dom);
    if (!snap) return false;
    const F = SnapshotDeleteFlags;
    let flags = 0;
    if (cmd.bool('children')) flags |= F.CHILDREN;
    if (cmd.bool('children-only')) flags |= F.CHILDREN_ONLY;
    if (cmd.bool('metadata')) flags |= F.METADATA_ONLY;
    const name = snap.getName();
    const what =
      flags & F.CHILDREN_ONLY ? `Domain snapshot ${name} children deleted` : `Domain snapshot ${name} deleted`;
    return act(ctl, () => snap.delete(flags), `${what}\n`, `Failed to delete snapshot ${name}`);
  },
};

/** Interactive editing needs a terminal and an editor; tsvirsh refuses once the snapshot is found. */
const snapshotEdit: CommandDef = {
  name: 'snapshot-edit',
  group: 'snapshot',
  help: 'edit XML for a snapshot',
  desc: 'Edit the domain snapshot XML for a named snapshot',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('snapshotname', 'snapshot name'),
    opt.bool('current', 'also set edited snapshot as current'),
    opt.bool('rename', 'allow renaming an existing snapshot'),
    opt.bool('clone', 'allow cloning to new name'),
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, [['rename', 'clone']])) return false;
    const { dom } = await optDomain(ctl, cmd);
    if (!(await pickSnapshot(ctl, cmd, dom))) return false;
    ctl.error('snapshot-edit (an interactive editor) is not supported by tsvirsh');
    return false;
  },
};

/** virDomainSnapshotXMLFlags: SECURE is the only one virsh passes. */
const SNAPSHOT_XML_SECURE = 1;

const snapshotDumpxml: CommandDef = {
  name: 'snapshot-dumpxml',
  group: 'snapshot',
  help: 'Dump XML for a domain snapshot',
  desc: 'Snapshot Dump XML',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.data('snapshotname', 'snapshot name'),
    opt.bool('security-info', 'include security sensitive information in XML dump'),
    ...XPATH_OPTS,
  ],
  async run(ctl, cmd) {
    const flags = cmd.bool('security-info') ? SNAPSHOT_XML_SECURE : 0;
    const { dom } = await optDomain(ctl, cmd);
    const snap = await dom.snapshotLookupByName(cmd.string('snapshotname') ?? '');
    return dumpXml(ctl, cmd, await snap.getXmlDesc(flags));
  },
};

const snapshotParent: CommandDef = {
  name: 'snapshot-parent',
  group: 'snapshot',
  help: 'Get the name of the parent of a snapshot',
  desc: "Extract the snapshot's parent, if any",
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('snapshotname', 'find parent of snapshot name'),
    opt.bool('current', 'find parent of current snapshot'),
  ],
  async run(ctl, cmd) {
    if (cmd.string('snapshotname') !== undefined && cmd.bool('current')) {
      ctl.error('--snapshotname and --current are mutually exclusive');
      return false;
    }
    const { dom } = await optDomain(ctl, cmd);
    const snap = await pickSnapshot(ctl, cmd, dom);
    if (!snap) return false;
    let parent: string;
    try {
      parent = (await snap.getParent()).getName();
    } catch (e) {
      if (isVirError(e) && e.code === ErrorCode.NO_DOMAIN_SNAPSHOT) {
        ctl.error(`snapshot '${snap.getName()}' has no parent`);
        return false;
      }
      throw e;
    }
    ctl.data({ parent });
    // No newline of its own: the blank line after every command ends it.
    ctl.print(parent);
    return true;
  },
};

export const snapshotCommands: readonly CommandDef[] = [
  snapshotCreate,
  snapshotCreateAs,
  snapshotCurrent,
  snapshotDelete,
  snapshotDumpxml,
  snapshotEdit,
];
/** snapshot-parent and snapshot-revert list after snapshot-list (snapshot-list.ts). */
export const snapshotParentCommands: readonly CommandDef[] = [snapshotParent, snapshotRevert];
