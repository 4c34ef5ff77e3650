/** attach-device and detach-device: one device from an XML file, live and/or in the config. */
import { AffectFlags, type Domain } from '@tsvirt/core';
import type { Control } from '../control.js';
import { readXmlFile } from '../files.js';
import { optDomain } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act } from './common.js';
import { type CommandDef, opt } from './types.js';

/** virsh's --current/--live/--config/--persistent; undefined (error printed) when they clash. */
async function affectFlags(ctl: Control, cmd: ParsedCommand, dom: Domain): Promise<number | undefined> {
  for (const other of ['live', 'config']) {
    if (cmd.bool('current') && cmd.bool(other)) {
      ctl.error(`Options --current and --${other} are mutually exclusive`);
      return undefined;
    }
  }
  let flags = 0;
  if (cmd.bool('config') || cmd.bool('persistent')) flags |= AffectFlags.CONFIG;
  if (cmd.bool('live')) flags |= AffectFlags.LIVE;
  if (cmd.bool('persistent') && (await dom.isActive())) flags |= AffectFlags.LIVE;
  return flags;
}

function deviceCommand(verb: 'attach' | 'detach'): CommandDef {
  return {
    name: `${verb}-device`,
    group: 'domain',
    help: `${verb} device from an XML file`,
    desc: `${verb === 'attach' ? 'Attach' : 'Detach'} device from an XML <file>.`,
    opts: [
      opt.data('domain', 'domain name, id or uuid'),
      opt.data('file', 'XML file'),
      opt.bool('persistent', 'make live change persistent'),
      opt.bool('config', 'affect next boot'),
      opt.bool('live', 'affect running domain'),
      opt.bool('current', 'affect current domain'),
    ],
    async run(ctl, cmd) {
      const { dom } = await optDomain(ctl, cmd);
      const file = cmd.string('file') ?? '';
      const flags = await affectFlags(ctl, cmd, dom);
      if (flags === undefined) return false;
      const xml = readXmlFile(file);
      const run = verb === 'attach' ? () => dom.attachDevice(xml, flags) : () => dom.detachDevice(xml, flags);
      return act(ctl, run, `Device ${verb}ed successfully\n`, `Failed to ${verb} device from ${file}`);
    },
  };
}

export const attachDevice = deviceCommand('attach');
export const detachDevice = deviceCommand('detach');
