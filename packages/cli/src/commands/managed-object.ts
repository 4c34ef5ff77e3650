import type { Network, StoragePool } from '@tsvirt/core';
import type { Control } from '../control.js';
import { By, optNetwork, optPool } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act } from './common.js';
import { type CommandDef, opt } from './types.js';

/**
 * What virsh's network and pool commands share: a noun, an argument naming the object, and a
 * lookup. The builders below make the commands whose only difference is that noun.
 */
export interface ObjectKind<T> {
  readonly group: CommandDef['group'];
  /** Command name prefix: "net", "pool". */
  readonly prefix: string;
  /** Lower-case noun in messages: "network", "pool". */
  readonly noun: string;
  /** Capitalised noun starting success messages: "Network", "Pool". */
  readonly title: string;
  readonly option: ReturnType<typeof opt.data>;
  lookup(ctl: Control, cmd: ParsedCommand, by?: number): Promise<{ obj: T; text: string }>;
}

export const NETWORK_KIND: ObjectKind<Network> = {
  group: 'network',
  prefix: 'net',
  noun: 'network',
  title: 'Network',
  option: opt.data('network', 'network name or uuid'),
  lookup: async (ctl, cmd, by) => {
    const { net, text } = await optNetwork(ctl, cmd, by);
    return { obj: net, text };
  },
};

export const POOL_KIND: ObjectKind<StoragePool> = {
  group: 'pool',
  prefix: 'pool',
  noun: 'pool',
  title: 'Pool',
  option: opt.data('pool', 'pool name or uuid'),
  lookup: async (ctl, cmd, by) => {
    const { pool, text } = await optPool(ctl, cmd, by);
    return { obj: pool, text };
  },
};

/** A command that runs one call on the object: "<Title> X <done>" or "Failed to <verb> <noun> X". */
export function simpleCommand<T>(
  kind: ObjectKind<T>,
  spec: { name: string; help: string; desc: string; done: string; verb: string },
  action: (obj: T) => Promise<void>,
): CommandDef {
  return {
    name: spec.name,
    group: kind.group,
    help: spec.help,
    desc: spec.desc,
    opts: [kind.option],
    async run(ctl, cmd) {
      const { obj, text } = await kind.lookup(ctl, cmd);
      return act(
        ctl,
        () => action(obj),
        `${kind.title} ${text} ${spec.done}\n`,
        `Failed to ${spec.verb} ${kind.noun} ${text}`,
      );
    },
  };
}

/** net-autostart / pool-autostart, with --disable. */
export function autostartCommand<T extends { setAutostart(on: boolean): Promise<void> }>(
  kind: ObjectKind<T>,
): CommandDef {
  return {
    name: `${kind.prefix}-autostart`,
    group: kind.group,
    help: `autostart a ${kind.noun}`,
    desc: `Configure a ${kind.noun} to be automatically started at boot.`,
    opts: [kind.option, opt.bool('disable', 'disable autostarting')],
    async run(ctl, cmd) {
      const { obj, text } = await kind.lookup(ctl, cmd);
      const on = !cmd.bool('disable');
      const mark = on ? 'mark' : 'unmark';
      return act(
        ctl,
        () => obj.setAutostart(on),
        `${kind.title} ${text} ${mark}ed as autostarted\n`,
        `failed to ${mark} ${kind.noun} ${text} as autostarted`,
      );
    },
  };
}

/** net-name / pool-name (by UUID) and net-uuid / pool-uuid (by name). */
export function nameAndUuidCommands<T extends { getName(): string; getUUIDString(): string }>(
  kind: ObjectKind<T>,
  options: { nameArg: ReturnType<typeof opt.data>; uuidArg: ReturnType<typeof opt.data> },
): [CommandDef, CommandDef] {
  const convert = (to: 'name' | 'uuid', arg: ReturnType<typeof opt.data>): CommandDef => ({
    name: `${kind.prefix}-${to}`,
    group: kind.group,
    help:
      to === 'name'
        ? `convert a ${kind.noun} UUID to ${kind.noun} name`
        : `convert a ${kind.noun} name to ${kind.noun} UUID`,
    desc: '',
    opts: [arg],
    async run(ctl, cmd) {
      const { obj } = await kind.lookup(ctl, cmd, to === 'name' ? By.UUID : By.NAME);
      const value = to === 'name' ? obj.getName() : obj.getUUIDString();
      ctl.data({ [to]: value });
      ctl.print(`${value}\n`);
      return true;
    },
  });
  return [convert('name', options.nameArg), convert('uuid', options.uuidArg)];
}
