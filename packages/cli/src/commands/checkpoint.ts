/**
 * checkpoint-create, checkpoint-create-as, checkpoint-delete, checkpoint-dumpxml,
 * checkpoint-edit (refused), checkpoint-info and checkpoint-parent, as virsh 9.0 has them.
 */
import {
  CheckpointCreateFlags,
  CheckpointDeleteFlags,
  type CheckpointDisk,
  CheckpointListFlags,
  CheckpointXmlFlags,
  type Domain,
  type DomainCheckpoint,
  ErrorCode,
  formatDomainCheckpointXml,
  isVirError,
} from '@tsvirt/core';
import type { Control } from '../control.js';
import { readXmlFile } from '../files.js';
import { optDomain, optString } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act, dumpXml, XPATH_OPTS } from './common.js';
import { type CommandDef, opt } from './types.js';

const DOMAIN_OPT = opt.data('domain', 'domain name, id or uuid');

/** virshLookupCheckpoint: the checkpoint option `arg` names; undefined (error printed) without it. */
export async function lookupCheckpoint(
  ctl: Control,
  cmd: ParsedCommand,
  arg: string,
  dom: Domain,
): Promise<DomainCheckpoint | undefined> {
  const name = optString(ctl, cmd, arg);
  if (name === undefined) {
    ctl.error(`--${arg} is required`);
    return undefined;
  }
  return dom.checkpointLookupByName(name);
}

/** virshGetCheckpointParent: the parent's name, or undefined for a root. */
export async function checkpointParentName(chk: DomainCheckpoint): Promise<string | undefined> {
  try {
    return (await chk.getParent()).getName();
  } catch (e) {
    if (isVirError(e) && e.code === ErrorCode.NO_DOMAIN_CHECKPOINT) return undefined;
    throw e;
  }
}

/** Create from XML and report it the way both create commands do. */
async function createAndReport(ctl: Control, dom: Domain, xml: string, flags: number, from?: string): Promise<boolean> {
  const chk = await dom.createCheckpointXml(xml, flags);
  ctl.data({ name: chk.getName() });
  // No newline of its own: the blank line virsh prints after every command ends it.
  ctl.printExtra(
    from === undefined
      ? `Domain checkpoint ${chk.getName()} created`
      : `Domain checkpoint ${chk.getName()} created from '${from}'`,
  );
  return true;
}

const checkpointCreate: CommandDef = {
  name: 'checkpoint-create',
  group: 'checkpoint',
  help: 'Create a checkpoint from XML',
  desc: 'Create a checkpoint from XML for use in future incremental backups',
  opts: [
    DOMAIN_OPT,
    opt.string('xmlfile', 'domain checkpoint XML'),
    opt.bool('redefine', 'redefine metadata for existing checkpoint'),
    opt.bool('redefine-validate', 'validate the redefined checkpoint'),
    opt.bool('quiesce', "quiesce guest's file systems"),
  ],
  async run(ctl, cmd) {
    const F = CheckpointCreateFlags;
    let flags = 0;
    if (cmd.bool('redefine')) flags |= F.REDEFINE;
    if (cmd.bool('redefine-validate')) {
      if (!cmd.bool('redefine')) {
        ctl.error('Option --redefine is required by option --redefine-validate');
        return false;
      }
      flags |= F.REDEFINE_VALIDATE;
    }
    if (cmd.bool('quiesce')) flags |= F.QUIESCE;
    const { dom } = await optDomain(ctl, cmd);
    const file = optString(ctl, cmd, 'xmlfile');
    // Without a file virsh asks for a checkpoint with every default.
    let xml = '<domaincheckpoint/>';
    if (file !== undefined) {
      try {
        xml = readXmlFile(file);
      } catch (e) {
        ctl.saveError(e);
        return false;
      }
    }
    return createAndReport(ctl, dom, xml, flags, file);
  },
};

/** One --diskspec "disk[,checkpoint=type][,bitmap=name]" (",," is a literal comma). */
function parseDiskspec(spec: string): CheckpointDisk | undefined {
  const parts = spec.split(/(?<!,),(?!,)/).map((p) => p.replaceAll(',,', ','));
  const [name, ...rest] = parts;
  if (!name) return undefined;
  const disk: CheckpointDisk = { name };
  for (const part of rest) {
    if (disk.checkpoint === undefined && part.startsWith('checkpoint=')) {
      disk.checkpoint = part.slice('checkpoint='.length) as CheckpointDisk['checkpoint'];
    } else if (disk.bitmap === undefined && part.startsWith('bitmap=')) {
      disk.bitmap = part.slice('bitmap='.length);
    } else return undefined;
  }
  return disk;
}

const checkpointCreateAs: CommandDef = {
  name: 'checkpoint-create-as',
  group: 'checkpoint',
  help: 'Create a checkpoint from a set of args',
  desc: 'Create a checkpoint from arguments for use in future incremental backups',
  opts: [
    DOMAIN_OPT,
    opt.string('name', 'name of checkpoint'),
    opt.string('description', 'description of checkpoint'),
    opt.bool('print-xml', 'print XML document rather than create'),
    opt.bool('quiesce', "quiesce guest's file systems"),
    opt.argv('diskspec', 'disk attributes: disk[,checkpoint=type][,bitmap=name]'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const name = optString(ctl, cmd, 'name');
    const description = optString(ctl, cmd, 'description');
    const disks: CheckpointDisk[] = [];
    for (const spec of cmd.argv('diskspec')) {
      const disk = parseDiskspec(spec);
      if (!disk) {
        ctl.error(`unable to parse diskspec: ${spec}`);
        return false;
      }
      disks.push(disk);
    }
    const xml = formatDomainCheckpointXml({
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(disks.length > 0 ? { disks } : {}),
    });
    if (cmd.bool('print-xml')) {
      // virsh adds a newline of its own after the document's.
      ctl.print(`${xml}\n`);
      return true;
    }
    return createAndReport(ctl, dom, xml, cmd.bool('quiesce') ? CheckpointCreateFlags.QUIESCE : 0);
  },
};

const checkpointDelete: CommandDef = {
  name: 'checkpoint-delete',
  group: 'checkpoint',
  help: 'Delete a domain checkpoint',
  desc: 'Checkpoint Delete',
  opts: [
    DOMAIN_OPT,
    opt.string('checkpointname', 'checkpoint name'),
    opt.bool('children', 'delete checkpoint and all children'),
    opt.bool('children-only', 'delete children but not checkpoint'),
    opt.bool('metadata', 'delete only libvirt metadata, leaving checkpoint contents behind'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const chk = await lookupCheckpoint(ctl, cmd, 'checkpointname', dom);
    if (!chk) return false;
    const F = CheckpointDeleteFlags;
    let flags = 0;
    if (cmd.bool('children')) flags |= F.CHILDREN;
    if (cmd.bool('children-only')) flags |= F.CHILDREN_ONLY;
    if (cmd.bool('metadata')) flags |= F.METADATA_ONLY;
    const name = chk.getName();
    const what =
      flags & F.CHILDREN_ONLY ? `Domain checkpoint ${name} children deleted` : `Domain checkpoint ${name} deleted`;
    return act(ctl, () => chk.delete(flags), `${what}\n`, `Failed to delete checkpoint ${name}`);
  },
};

const checkpointDumpxml: CommandDef = {
  name: 'checkpoint-dumpxml',
  group: 'checkpoint',
  help: 'Dump XML for a domain checkpoint',
  desc: 'Checkpoint Dump XML',
  opts: [
    DOMAIN_OPT,
    opt.string('checkpointname', 'checkpoint name'),
    opt.bool('security-info', 'include security sensitive information in XML dump'),
    opt.bool('no-domain', 'exclude <domain> from XML'),
    opt.bool('size', 'include backup size estimate in XML dump'),
    ...XPATH_OPTS,
  ],
  async run(ctl, cmd) {
    const F = CheckpointXmlFlags;
    let flags = 0;
    if (cmd.bool('security-info')) flags |= F.SECURE;
    if (cmd.bool('no-domain')) flags |= F.NO_DOMAIN;
    if (cmd.bool('size')) flags |= F.SIZE;
    const { dom } = await optDomain(ctl, cmd);
    const chk = await lookupCheckpoint(ctl, cmd, 'checkpointname', dom);
    if (!chk) return false;
    return dumpXml(ctl, cmd, await chk.getXmlDesc(flags));
  },
};

/** Interactive editing needs a terminal and an editor; tsvirsh does not offer it. */
const checkpointEdit: CommandDef = {
  name: 'checkpoint-edit',
  group: 'checkpoint',
  help: 'edit XML for a checkpoint',
  desc: 'Edit the domain checkpoint XML for a named checkpoint',
  opts: [DOMAIN_OPT, opt.string('checkpointname', 'checkpoint name')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    if (!(await lookupCheckpoint(ctl, cmd, 'checkpointname', dom))) return false;
    ctl.error('checkpoint-edit (an interactive editor) is not supported by tsvirsh');
    return false;
  },
};

const checkpointInfo: CommandDef = {
  name: 'checkpoint-info',
  group: 'checkpoint',
  help: 'checkpoint information',
  desc: 'Returns basic information about a checkpoint.',
  opts: [DOMAIN_OPT, opt.string('checkpointname', 'checkpoint name')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const chk = await lookupCheckpoint(ctl, cmd, 'checkpointname', dom);
    if (!chk) return false;
    const parent = await checkpointParentName(chk);
    const children = (await chk.listAllChildren()).length;
    const descendants = (await chk.listAllChildren(CheckpointListFlags.DESCENDANTS)).length;
    const line = (label: string, value: string | number) => `${label.padEnd(15)} ${value}\n`;
    ctl.data({ name: chk.getName(), domain: dom.getName(), parent: parent ?? null, children, descendants });
    ctl.print(
      line('Name:', chk.getName()) +
        line('Domain:', dom.getName()) +
        line('Parent:', parent ?? '-') +
        line('Children:', children) +
        line('Descendants:', descendants),
    );
    return true;
  },
};

const checkpointParent: CommandDef = {
  name: 'checkpoint-parent',
  group: 'checkpoint',
  help: 'Get the name of the parent of a checkpoint',
  desc: "Extract the checkpoint's parent, if any",
  opts: [DOMAIN_OPT, opt.string('checkpointname', 'find parent of checkpoint name')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const chk = await lookupCheckpoint(ctl, cmd, 'checkpointname', dom);
    if (!chk) return false;
    const parent = await checkpointParentName(chk);
    if (parent === undefined) {
      ctl.error(`checkpoint '${chk.getName()}' has no parent`);
      return false;
    }
    ctl.data({ parent });
    ctl.print(`${parent}\n`);
    return true;
  },
};

/** In virsh's listing order, checkpoint-list (checkpoint-list.ts) going between info and parent. */
export const checkpointCommands: readonly CommandDef[] = [
  checkpointCreate,
  checkpointCreateAs,
  checkpointDelete,
  checkpointDumpxml,
  checkpointEdit,
  checkpointInfo,
];
export const checkpointParentCommands: readonly CommandDef[] = [checkpointParent];
