import type { Control } from '../control.js';
import type { ParsedCommand } from '../parse-args.js';

/**
 * Option kinds of virsh's grammar:
 * - bool: a flag, `--name`;
 * - string / int: `--name VALUE` or `--name=VALUE`; also filled from positional words unless
 *   `named` is set (virsh's VSH_OFLAG_REQ_OPT);
 * - data: a required value that may be given positionally (`[--domain] <string>`);
 * - argv: takes every remaining positional word.
 */
export type OptType = 'bool' | 'string' | 'int' | 'data' | 'argv';

export interface OptDef {
  readonly name: string;
  readonly type: OptType;
  readonly help: string;
  readonly required?: boolean;
  /** Only accepted as `--name VALUE`, never filled positionally. */
  readonly named?: boolean;
  /** An empty value is accepted (VSH_OFLAG_EMPTY_OK). */
  readonly emptyOk?: boolean;
}

export type GroupKey =
  | 'domain'
  | 'monitor'
  | 'host'
  | 'checkpoint'
  | 'network'
  | 'snapshot'
  | 'pool'
  | 'volume'
  | 'virsh';

export interface CommandDef {
  readonly name: string;
  readonly group: GroupKey;
  /** One line, shown by `help` listings and as the NAME line. */
  readonly help: string;
  /** DESCRIPTION section; '' for none. */
  readonly desc: string;
  readonly opts: readonly OptDef[];
  /** Runs without an open connection (help, quit, connect, echo). */
  readonly noConnect?: boolean;
  run(ctl: Control, cmd: ParsedCommand): Promise<boolean>;
}

export const GROUPS: readonly { key: GroupKey; name: string }[] = [
  { key: 'domain', name: 'Domain Management' },
  { key: 'monitor', name: 'Domain Monitoring' },
  { key: 'host', name: 'Host and Hypervisor' },
  { key: 'checkpoint', name: 'Checkpoint' },
  { key: 'network', name: 'Networking' },
  { key: 'snapshot', name: 'Snapshot' },
  { key: 'pool', name: 'Storage Pool' },
  { key: 'volume', name: 'Storage Volume' },
  { key: 'virsh', name: 'Virsh itself' },
];

/** Shorthands for the option tables. */
export const opt = {
  bool: (name: string, help: string): OptDef => ({ name, type: 'bool', help }),
  data: (name: string, help: string, extra: Partial<OptDef> = {}): OptDef => ({
    name,
    type: 'data',
    help,
    required: true,
    ...extra,
  }),
  string: (name: string, help: string, extra: Partial<OptDef> = {}): OptDef => ({
    name,
    type: 'string',
    help,
    ...extra,
  }),
  int: (name: string, help: string, extra: Partial<OptDef> = {}): OptDef => ({ name, type: 'int', help, ...extra }),
  argv: (name: string, help: string, extra: Partial<OptDef> = {}): OptDef => ({ name, type: 'argv', help, ...extra }),
};
