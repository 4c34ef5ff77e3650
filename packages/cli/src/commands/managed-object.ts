import type { Domain, Network, StoragePool, StorageVol } from '@tsvirt/core';
import type { Control } from '../control.js';
import { By, optDomain, optNetwork, optPool, optVol } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act, dumpXml, orFail, readFileOpt, XPATH_OPTS } from './common.js';
import { type CommandDef, type OptDef, opt } from './types.js';

/**
 * What virsh's domain, network, pool and volume commands share: a noun, the options naming the
 * object, and a lookup. The builders below make the commands whose only difference is that noun.
 */
export interface ObjectKind<T> {
  readonly group: CommandDef['group'];
  /** Command name prefix: "net", "pool", "vol"; '' for domains ("define", not "dom-define"). */
  readonly prefix: string;
  /** Lower-case noun in messages: "network", "pool". */
  readonly noun: string;
  /** Capitalised noun starting success messages: "Network", "Pool". */
  readonly title: string;
  /** The options naming the object. */
  readonly opts: readonly OptDef[];
  /** The object's name as messages show it (virsh quotes domain names only). */
  label(text: string): string;
  lookup(ctl: Control, cmd: ParsedCommand, by?: number): Promise<{ obj: T; text: string }>;
  /** What --json reports for an object just defined or created. */
  summary(obj: T): Record<string, unknown>;
}

export const DOMAIN_OPT = opt.data('domain', 'domain name, id or uuid');
export const NETWORK_OPT = opt.data('network', 'network name or uuid');
export const POOL_OPT = opt.data('pool', 'pool name or uuid');
export const VOL_OPT = opt.data('vol', 'vol name, key or path');
/** The optional --pool a volume is looked up in. */
export const VOL_POOL_OPT = opt.string('pool', 'pool name or uuid');

/** A kind with virsh's usual wording: capitalised noun, plain name, name and UUID in --json. */
function objectKind<T extends { getName(): string; getUUIDString(): string }>(
  kind: Pick<ObjectKind<T>, 'group' | 'prefix' | 'noun' | 'opts' | 'lookup'> & Partial<ObjectKind<T>>,
): ObjectKind<T> {
  return {
    title: kind.noun[0]!.toUpperCase() + kind.noun.slice(1),
    label: (text) => text,
    summary: (obj) => ({ name: obj.getName(), uuid: obj.getUUIDString() }),
    ...kind,
  };
}

export const DOMAIN_KIND = objectKind<Domain>({
  group: 'domain',
  prefix: '',
  noun: 'domain',
  opts: [DOMAIN_OPT],
  label: (text) => `'${text}'`,
  lookup: (ctl, cmd, by) => optDomain(ctl, cmd, by).then(({ dom, text }) => ({ obj: dom, text })),
});

export const NETWORK_KIND = objectKind<Network>({
  group: 'network',
  prefix: 'net',
  noun: 'network',
  opts: [NETWORK_OPT],
  lookup: (ctl, cmd, by) => optNetwork(ctl, cmd, by).then(({ net, text }) => ({ obj: net, text })),
});

export const POOL_KIND = objectKind<StoragePool>({
  group: 'pool',
  prefix: 'pool',
  noun: 'pool',
  opts: [POOL_OPT],
  lookup: (ctl, cmd, by) => optPool(ctl, cmd, by).then(({ pool, text }) => ({ obj: pool, text })),
});

/** Volumes have no UUID: --json reports the key. */
export const VOLUME_KIND: ObjectKind<StorageVol> = {
  group: 'volume',
  prefix: 'vol',
  noun: 'vol',
  title: 'Vol',
  opts: [VOL_OPT, VOL_POOL_OPT],
  label: (text) => text,
  lookup: (ctl, cmd, by) => optVol(ctl, cmd, by).then(({ vol, text }) => ({ obj: vol, text })),
  summary: (vol) => ({ name: vol.getName(), key: vol.getKey() }),
};

function commandName(kind: ObjectKind<unknown>, verb: string): string {
  return kind.prefix ? `${kind.prefix}-${verb}` : verb;
}

/**
 * A command that runs one call on the object: "<Title> X <done>" or "Failed to <verb> <noun> X".
 * `flags`, when given, reads the call's flags before the lookup; undefined stops the command.
 */
export function simpleCommand<T>(
  kind: ObjectKind<T>,
  spec: {
    name: string;
    help: string;
    desc: string;
    done: string;
    verb: string;
    opts?: readonly OptDef[];
    flags?: (ctl: Control, cmd: ParsedCommand) => number | undefined;
  },
  action: (obj: T, flags: number) => Promise<unknown>,
): CommandDef {
  return {
    name: spec.name,
    group: kind.group,
    help: spec.help,
    desc: spec.desc,
    opts: [...kind.opts, ...(spec.opts ?? [])],
    async run(ctl, cmd) {
      const flags = spec.flags ? spec.flags(ctl, cmd) : 0;
      if (flags === undefined) return false;
      const { obj, text } = await kind.lookup(ctl, cmd);
      const label = kind.label(text);
      return act(
        ctl,
        () => action(obj, flags),
        `${kind.title} ${label} ${spec.done}\n`,
        `Failed to ${spec.verb} ${kind.noun} ${label}`,
      );
    },
  };
}

/** autostart / net-autostart / pool-autostart, with --disable. virsh's domain command says "Failed". */
export function autostartCommand<T extends { setAutostart(on: boolean): Promise<void> }>(
  kind: ObjectKind<T>,
  failed: 'failed' | 'Failed' = 'failed',
): CommandDef {
  return {
    name: commandName(kind, 'autostart'),
    group: kind.group,
    help: `autostart a ${kind.noun}`,
    desc: `Configure a ${kind.noun} to be automatically started at boot.`,
    opts: [...kind.opts, opt.bool('disable', 'disable autostarting')],
    async run(ctl, cmd) {
      const { obj, text } = await kind.lookup(ctl, cmd);
      const on = !cmd.bool('disable');
      const mark = on ? 'mark' : 'unmark';
      const label = kind.label(text);
      return act(
        ctl,
        () => obj.setAutostart(on),
        `${kind.title} ${label} ${mark}ed as autostarted\n`,
        `${failed} to ${mark} ${kind.noun} ${label} as autostarted`,
      );
    },
  };
}

/** The `file` option of define/create commands. */
export function fileOpt(kind: ObjectKind<unknown>): OptDef {
  return opt.data('file', `file containing an XML ${kind.noun} description`);
}

/**
 * define/create from an XML file: "<Title> X <verb>d from FILE" or "Failed to <verb> <noun> from FILE".
 * `prepare` runs before the file is read (flags, a parent lookup); undefined stops the command.
 */
export function fromFileCommand<T extends { getName(): string }, P = undefined>(
  kind: ObjectKind<T>,
  spec: {
    name: string;
    help: string;
    desc: string;
    verb: 'define' | 'create';
    opts: readonly OptDef[];
    prepare?: (ctl: Control, cmd: ParsedCommand) => Promise<P | undefined> | P | undefined;
    make: (ctl: Control, cmd: ParsedCommand, xml: string, prepared: P) => Promise<T>;
    summary?: (obj: T) => Record<string, unknown>;
  },
): CommandDef {
  return {
    name: spec.name,
    group: kind.group,
    help: spec.help,
    desc: spec.desc,
    opts: spec.opts,
    async run(ctl, cmd) {
      let prepared: P | undefined;
      if (spec.prepare) {
        prepared = await spec.prepare(ctl, cmd);
        if (prepared === undefined) return false;
      }
      const f = readFileOpt(ctl, cmd);
      if (!f) return false;
      const obj = await orFail(
        ctl,
        () => spec.make(ctl, cmd, f.xml, prepared as P),
        `Failed to ${spec.verb} ${kind.noun} from ${f.file}`,
      );
      if (obj === undefined) return false;
      ctl.data((spec.summary ?? kind.summary)(obj));
      ctl.printExtra(`${kind.title} ${kind.label(obj.getName())} ${spec.verb}d from ${f.file}\n`);
      return true;
    },
  };
}

/** dumpxml / net-dumpxml / pool-dumpxml / vol-dumpxml: `opts` stand between the object and --xpath. */
export function dumpXmlCommand<T>(
  kind: ObjectKind<T>,
  opts: readonly OptDef[],
  xml: (obj: T, cmd: ParsedCommand) => Promise<string>,
): CommandDef {
  return {
    name: commandName(kind, 'dumpxml'),
    group: kind.group,
    help: `${kind.noun} information in XML`,
    desc: `Output the ${kind.noun} information as an XML dump to stdout.`,
    opts: [...kind.opts, ...opts, ...XPATH_OPTS],
    async run(ctl, cmd) {
      const { obj } = await kind.lookup(ctl, cmd);
      return dumpXml(ctl, cmd, await xml(obj, cmd));
    },
  };
}

/** net-name / pool-name (by UUID) and net-uuid / pool-uuid (by name). */
export function nameAndUuidCommands<T extends { getName(): string; getUUIDString(): string }>(
  kind: ObjectKind<T>,
  options: { nameArg: OptDef; uuidArg: OptDef },
): [CommandDef, CommandDef] {
  const convert = (to: 'name' | 'uuid', arg: OptDef): CommandDef => ({
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
