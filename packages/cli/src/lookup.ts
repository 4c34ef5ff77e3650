import type { Connection, Domain, Network, StoragePool, StorageVol } from '@tsvirt/core';
import type { Control } from './control.js';
import { CommandFailed } from './errors.js';
import type { ParsedCommand } from './parse-args.js';

/** How a name may be resolved (virsh's VIRSH_BYID / BYUUID / BYNAME). */
export const By = { ID: 1, UUID: 2, NAME: 4 } as const;
const ALL = By.ID | By.UUID | By.NAME;

/** The UUID string length virsh requires before it tries a lookup by UUID. */
const UUID_LEN = 36;

export function conn(ctl: Control): Connection {
  if (!ctl.conn) {
    ctl.error('no valid connection');
    throw new CommandFailed();
  }
  return ctl.conn;
}

/**
 * vshCommandOptStringReq: the value of an option; an empty value is refused unless the option
 * allows it. Absent optional options give undefined.
 */
export function optString(ctl: Control, cmd: ParsedCommand, name: string): string | undefined {
  const v = cmd.string(name);
  if (v === undefined) {
    if (cmd.def.opts.find((o) => o.name === name)?.required) {
      ctl.error(`Failed to get option '${name}': Mandatory option not present`);
      throw new CommandFailed();
    }
    return undefined;
  }
  const def = cmd.def.opts.find((o) => o.name === name);
  if (v === '' && !def?.emptyOk) {
    ctl.error(`Failed to get option '${name}': Option argument is empty`);
    throw new CommandFailed();
  }
  return v;
}

export function requiredString(ctl: Control, cmd: ParsedCommand, name: string): string {
  const v = optString(ctl, cmd, name);
  if (v === undefined) {
    ctl.error(`Failed to get option '${name}': Mandatory option not present`);
    throw new CommandFailed();
  }
  return v;
}

/** strtol-style integer as virStrToLong_i accepts it: blanks and a sign first, nothing after. */
export function parseCInt(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) return undefined;
  return n;
}

async function attempt<T>(ctl: Control, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    ctl.saveError(e);
    return undefined;
  }
}

/** virshLookupDomainBy: id, then UUID, then name; on failure only "failed to get domain". */
export async function lookupDomainBy(ctl: Control, text: string, by: number = ALL): Promise<Domain | undefined> {
  const c = conn(ctl);
  let dom: Domain | undefined;
  if (by & By.ID) {
    const id = parseCInt(text);
    if (id !== undefined && id >= 0) dom = await attempt(ctl, () => c.lookupDomainById(id));
  }
  if (!dom && by & By.UUID && text.length === UUID_LEN) dom = await attempt(ctl, () => c.lookupDomainByUuid(text));
  if (!dom && by & By.NAME) dom = await attempt(ctl, () => c.lookupDomainByName(text));
  ctl.resetError();
  if (!dom) ctl.error(`failed to get domain '${text}'`);
  return dom;
}

/** virshCommandOptDomainBy: the domain named by option `name` (default "domain"). */
export async function optDomain(
  ctl: Control,
  cmd: ParsedCommand,
  by: number = ALL,
  name = 'domain',
): Promise<{ dom: Domain; text: string }> {
  const text = requiredString(ctl, cmd, name);
  const dom = await lookupDomainBy(ctl, text, by);
  if (!dom) throw new CommandFailed();
  return { dom, text };
}

/** virshCommandOptNetworkBy: UUID, then name; the library error stays pending for the report. */
export async function optNetwork(
  ctl: Control,
  cmd: ParsedCommand,
  by: number = By.UUID | By.NAME,
  name = 'network',
): Promise<{ net: Network; text: string }> {
  const text = requiredString(ctl, cmd, name);
  const c = conn(ctl);
  let net: Network | undefined;
  if (by & By.UUID && text.length === UUID_LEN) net = await attempt(ctl, () => c.lookupNetworkByUuid(text));
  if (!net && by & By.NAME) net = await attempt(ctl, () => c.lookupNetworkByName(text));
  if (!net) {
    ctl.error(`failed to get network '${text}'`);
    throw new CommandFailed();
  }
  ctl.resetError();
  return { net, text };
}

/** virshCommandOptPoolBy: UUID, then name. */
export async function lookupPoolBy(
  ctl: Control,
  text: string,
  by: number = By.UUID | By.NAME,
): Promise<StoragePool | undefined> {
  const c = conn(ctl);
  let pool: StoragePool | undefined;
  if (by & By.UUID && text.length === UUID_LEN) pool = await attempt(ctl, () => c.lookupStoragePoolByUuid(text));
  if (!pool && by & By.NAME) pool = await attempt(ctl, () => c.lookupStoragePoolByName(text));
  if (!pool) ctl.error(`failed to get pool '${text}'`);
  else ctl.resetError();
  return pool;
}

export async function optPool(
  ctl: Control,
  cmd: ParsedCommand,
  by: number = By.UUID | By.NAME,
  name = 'pool',
): Promise<{ pool: StoragePool; text: string }> {
  const text = requiredString(ctl, cmd, name);
  const pool = await lookupPoolBy(ctl, text, by);
  if (!pool) throw new CommandFailed();
  return { pool, text };
}

/**
 * virshCommandOptVolBy: with --pool, by name in that (active) pool; then by key, then by path.
 * By.UUID stands for "key or path", as in virsh.
 */
export async function optVol(
  ctl: Control,
  cmd: ParsedCommand,
  by: number = By.UUID | By.NAME,
  name = 'vol',
  poolOpt: string | null = 'pool',
): Promise<{ vol: StorageVol; text: string }> {
  const text = requiredString(ctl, cmd, name);
  const poolText = poolOpt ? optString(ctl, cmd, poolOpt) : undefined;
  const c = conn(ctl);
  let pool: StoragePool | undefined;
  if (poolText !== undefined) {
    pool = await lookupPoolBy(ctl, poolText);
    if (!pool) throw new CommandFailed();
    let active = false;
    try {
      active = await pool.isActive();
    } catch {
      active = false;
    }
    if (!active) {
      ctl.error(`pool '${poolText}' is not active`);
      throw new CommandFailed();
    }
  }
  let vol: StorageVol | undefined;
  const p = pool;
  if (p && by & By.NAME) vol = await attempt(ctl, () => p.lookupVolumeByName(text));
  if (!vol && by & By.UUID) vol = await attempt(ctl, () => c.lookupStorageVolByKey(text));
  if (!vol && by & By.UUID) vol = await attempt(ctl, () => c.lookupStorageVolByPath(text));
  if (!vol) {
    if (pool || !poolOpt) ctl.error(`failed to get vol '${text}'`);
    else ctl.error(`failed to get vol '${text}', specifying --${poolOpt} might help`);
    throw new CommandFailed();
  }
  ctl.resetError();
  if (pool && vol.getPoolName() !== pool.getName()) {
    ctl.error(`Requested volume '${text}' is not in pool '${pool.getName()}'`);
    throw new CommandFailed();
  }
  return { vol, text };
}
