/** schedinfo: the domain's scheduler and its parameters, shown and set as virsh 9.0 does. */
import { AffectFlags, ErrorCode, ErrorDomain, type TypedParameter, VirError } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { CURRENT_EXCLUSIVE, exclusive, orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

const badValue = (detail: string) => new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.NONE, detail });

/** strtol/strtoul over the whole text; libvirt's unsigned parsers take "-N" as 2^bits - N. */
function integer(text: string, min: bigint, max: bigint, unsigned: boolean): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (!m) return undefined;
  let n = BigInt(m[2] as string);
  if (m[1] === '-') n = unsigned ? (n > max ? -1n : max + 1n - n) : -n;
  return n < min || n > max ? undefined : n;
}

/** virTypedParamsAddFromString: `value` read as the parameter's type, or libvirt's error. */
function fromString(field: string, type: TypedParameter['type'], value: string): TypedParameter {
  const expected = (what: string) => badValue(`Invalid value for field '${field}': expected ${what}`);
  switch (type) {
    case 'int': {
      const n = integer(value, -(2n ** 31n), 2n ** 31n - 1n, false);
      if (n === undefined) throw expected('int');
      return { field, type, value: Number(n) };
    }
    case 'uint': {
      const n = integer(value, 0n, 2n ** 32n - 1n, true);
      if (n === undefined) throw expected('unsigned int');
      return { field, type, value: Number(n) };
    }
    case 'llong': {
      const n = integer(value, -(2n ** 63n), 2n ** 63n - 1n, false);
      if (n === undefined) throw expected('long long');
      return { field, type, value: n };
    }
    case 'ullong': {
      const n = integer(value, 0n, 2n ** 64n - 1n, true);
      if (n === undefined) throw expected('unsigned long long');
      return { field, type, value: n };
    }
    case 'double': {
      const n = Number(value);
      if (value.trim() === '' || Number.isNaN(n)) throw expected('double');
      return { field, type, value: n };
    }
    case 'boolean': {
      const v = value.toLowerCase();
      if (['1', 'yes', 'true'].includes(v)) return { field, type, value: true };
      if (['0', 'no', 'false'].includes(v)) return { field, type, value: false };
      throw badValue(`Invalid boolean value for field '${field}'`);
    }
    case 'string':
      return { field, type, value };
  }
}

/** cmdSchedInfoUpdate: the --set, --cap and --weight changes typed as the current parameters. */
function updates(ctl: Control, cmd: ParsedCommand, current: readonly TypedParameter[]): TypedParameter[] | undefined {
  const wanted: [string, string][] = [];
  for (const item of cmd.argv('set')) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      ctl.error('Invalid syntax for --set, expecting name=value');
      return undefined;
    }
    wanted.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  for (const name of ['cap', 'weight']) {
    const v = cmd.string(name);
    if (v !== undefined) wanted.push([name, v]);
  }
  const out: TypedParameter[] = [];
  for (const [name, value] of wanted) {
    const known = current.find((p) => p.field === name);
    if (!known) {
      ctl.error(`invalid scheduler option: ${name}`);
      return undefined;
    }
    try {
      out.push(fromString(name, known.type, value));
    } catch (e) {
      ctl.saveError(e);
      return undefined;
    }
  }
  return out;
}

/** vshGetTypedParamValue. */
function valueText(p: TypedParameter): string {
  if (p.type === 'boolean') return p.value ? 'yes' : 'no';
  if (p.type === 'double') return p.value.toFixed(6);
  return String(p.value);
}

export const schedinfo: CommandDef = {
  name: 'schedinfo',
  group: 'domain',
  help: 'show/set scheduler parameters',
  desc: 'Show/Set scheduler parameters.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('weight', 'weight for XEN_CREDIT', { named: true }),
    opt.int('cap', 'cap for XEN_CREDIT', { named: true }),
    opt.bool('current', 'get/set current scheduler info'),
    opt.bool('config', 'get/set value to be used on next boot'),
    opt.bool('live', 'get/set value from running domain'),
    opt.argv('set', 'parameter=value'),
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const live = cmd.bool('live');
    const config = cmd.bool('config');
    let flags = 0;
    if (config) flags |= AffectFlags.CONFIG;
    if (live) flags |= AffectFlags.LIVE;
    const { dom } = await optDomain(ctl, cmd);
    const type = await orFail(ctl, () => dom.getSchedulerType(), 'Failed to get scheduler type');
    if (type === undefined) return false;
    ctl.print(`${'Scheduler'.padEnd(15)}: ${type.type}\n`);
    if (type.nparams === 0) return false;
    // Both --live and --config cannot be read at once: the current values are read then.
    const useFlags = flags !== 0 || cmd.bool('current');
    const read = () => dom.getSchedulerParameters(useFlags ? (live && config ? 0 : flags) : undefined);
    let params = await orFail(ctl, read);
    if (params === undefined) return false;
    const changes = updates(ctl, cmd, params);
    if (changes === undefined) return false;
    if (changes.length > 0) {
      try {
        await dom.setSchedulerParameters(changes, useFlags ? flags : undefined);
      } catch (e) {
        ctl.saveError(e);
        return false;
      }
      params = await orFail(ctl, read);
      if (params === undefined) return false;
    } else if (live && config) {
      ctl.error('cannot query both live and config at once');
      return false;
    }
    ctl.data({ scheduler: type.type, ...Object.fromEntries(params.map((p) => [p.field, valueText(p)])) });
    ctl.print(params.map((p) => `${p.field.padEnd(15)}: ${valueText(p)}\n`).join(''));
    return true;
  },
};
