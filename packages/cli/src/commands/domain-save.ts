/** save, restore, managedsave, managedsave-remove: a guest's state to a file and back. */
import { SaveRestoreFlags } from '@tsvirt/core';
import type { Control } from '../control.js';
import { readXmlFile } from '../files.js';
import { conn, optDomain } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act } from './common.js';
import { type CommandDef, opt } from './types.js';

/** The flags the save commands share; undefined (error printed) when --running and --paused clash. */
function saveFlags(ctl: Control, cmd: ParsedCommand): number | undefined {
  if (cmd.bool('running') && cmd.bool('paused')) {
    ctl.error('Options --running and --paused are mutually exclusive');
    return undefined;
  }
  let flags = 0;
  if (cmd.bool('bypass-cache')) flags |= SaveRestoreFlags.BYPASS_CACHE;
  if (cmd.bool('running')) flags |= SaveRestoreFlags.RUNNING;
  if (cmd.bool('paused')) flags |= SaveRestoreFlags.PAUSED;
  if (cmd.bool('reset-nvram')) flags |= SaveRestoreFlags.RESET_NVRAM;
  return flags;
}

const save: CommandDef = {
  name: 'save',
  group: 'domain',
  help: 'save a domain state to a file',
  desc: 'Save the RAM state of a running domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.data('file', 'where to save the data'),
    opt.bool('bypass-cache', 'avoid file system cache when saving'),
    opt.string('xml', 'filename containing updated XML for the target'),
    opt.bool('running', 'set domain to be running on restore'),
    opt.bool('paused', 'set domain to be paused on restore'),
    opt.bool('verbose', 'display the progress of save'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const file = cmd.string('file') ?? '';
    const flags = saveFlags(ctl, cmd);
    if (flags === undefined) return false;
    const xmlFile = cmd.string('xml');
    const xml = xmlFile === undefined ? undefined : readXmlFile(xmlFile);
    const name = dom.getName();
    return act(
      ctl,
      () => dom.save(file, flags, xml),
      `\nDomain '${name}' saved to ${file}\n`,
      `Failed to save domain '${name}' to ${file}`,
    );
  },
};

const restore: CommandDef = {
  name: 'restore',
  group: 'domain',
  help: 'restore a domain from a saved state in a file',
  desc: 'Restore a domain.',
  opts: [
    opt.data('file', 'the state to restore'),
    opt.bool('bypass-cache', 'avoid file system cache when restoring'),
    opt.string('xml', 'filename containing updated XML for the target'),
    opt.bool('running', 'restore domain into running state'),
    opt.bool('paused', 'restore domain into paused state'),
    opt.bool('reset-nvram', 're-initialize NVRAM from its pristine template'),
  ],
  async run(ctl, cmd) {
    const file = cmd.string('file') ?? '';
    const flags = saveFlags(ctl, cmd);
    if (flags === undefined) return false;
    const xmlFile = cmd.string('xml');
    const xml = xmlFile === undefined ? undefined : readXmlFile(xmlFile);
    return act(
      ctl,
      () => conn(ctl).restoreDomain(file, flags, xml),
      `Domain restored from ${file}\n`,
      `Failed to restore domain from ${file}`,
    );
  },
};

const managedsave: CommandDef = {
  name: 'managedsave',
  group: 'domain',
  help: 'managed save of a domain state',
  desc:
    "Save and destroy a running domain, so it can be restarted from\n    the same state at a later time.  When the virsh 'start'\n" +
    '    command is next run for the domain, it will automatically\n    be started from this saved state.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('bypass-cache', 'avoid file system cache when saving'),
    opt.bool('running', 'set domain to be running on next start'),
    opt.bool('paused', 'set domain to be paused on next start'),
    opt.bool('verbose', 'display the progress of save'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const flags = saveFlags(ctl, cmd);
    if (flags === undefined) return false;
    const name = dom.getName();
    return act(
      ctl,
      () => dom.managedSave(flags),
      `\nDomain '${name}' state saved by libvirt\n`,
      `Failed to save domain '${name}' state`,
    );
  },
};

const managedsaveRemove: CommandDef = {
  name: 'managedsave-remove',
  group: 'domain',
  help: 'Remove managed save of a domain',
  desc: 'Remove an existing managed save state file from a domain',
  opts: [opt.data('domain', 'domain name, id or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const name = dom.getName();
    let has: boolean;
    try {
      has = await dom.hasManagedSaveImage();
    } catch (e) {
      ctl.saveError(e);
      ctl.error("Can't determine if managedsave image exists for domain.");
      return false;
    }
    if (!has) {
      ctl.printExtra(`Domain '${name}' has no manage save image; removal skipped\n`);
      return true;
    }
    return act(
      ctl,
      () => dom.managedSaveRemove(),
      `Removed managedsave image for domain '${name}'\n`,
      `Failed to remove managed save image for domain '${name}'`,
    );
  },
};

export const domainSaveCommands = { save, restore, managedsave, managedsaveRemove } as const;
