/**
 * memtune, blkiotune and numatune: read or change a domain's <memtune>, <blkiotune> and
 * <numatune> through typed parameters, with virsh's option parsing, output and errors.
 */
import {
  ErrorCode,
  ErrorDomain,
  MEMORY_PARAM_UNLIMITED,
  NUMATUNE_MODES,
  TuningParam as P,
  type TypedParameter,
  type TypedParameterList,
  VirError,
} from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain, optString, parseCInt } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { AFFECT_OPTS, affectFlags, CURRENT_EXCLUSIVE, exclusive } from './common.js';
import { type CommandDef, opt } from './types.js';

/** --config/--live/--current as AffectFlags; undefined (error printed) when --current clashes. */
function checkedAffectFlags(ctl: Control, cmd: ParsedCommand): number | undefined {
  return exclusive(ctl, cmd, CURRENT_EXCLUSIVE) ? affectFlags(cmd) : undefined;
}

/** vshGetTypedParamValue: a parameter's value as virsh prints it. */
export function typedParamText(p: TypedParameter): string {
  switch (p.type) {
    case 'boolean':
      return p.value ? 'yes' : 'no';
    case 'double':
      return p.value.toFixed(6);
    default:
      return String(p.value);
  }
}

type Getter = (nparams: number, flags: number) => Promise<TypedParameterList>;

/**
 * virsh's two calls: how many parameters, then that many; each failure with its own message
 * (numatune reuses the memory wording for the first). Undefined when a call failed.
 */
async function readParams(
  ctl: Control,
  get: Getter,
  flags: number,
  what: string,
  countWhat = what,
): Promise<TypedParameter[] | undefined> {
  let count: number;
  try {
    count = (await get(0, flags)).nparams;
  } catch (e) {
    ctl.saveError(e);
    ctl.error(`Unable to get number of ${countWhat} parameters`);
    return undefined;
  }
  if (count === 0) return [];
  try {
    return (await get(count, flags)).params;
  } catch (e) {
    ctl.saveError(e);
    ctl.error(`Unable to get ${what} parameters`);
    return undefined;
  }
}

async function writeParams(ctl: Control, set: () => Promise<void>, what: string): Promise<boolean> {
  try {
    await set();
    return true;
  } catch (e) {
    ctl.saveError(e);
    ctl.error(`Unable to change ${what} parameters`);
    return false;
  }
}

const line = (p: TypedParameter, text = typedParamText(p)) => `${p.field.padEnd(15)}: ${text}\n`;

function printParams(ctl: Control, params: TypedParameter[], text: (p: TypedParameter) => string): void {
  ctl.data(Object.fromEntries(params.map((p) => [p.field, p.value])));
  ctl.print(params.map((p) => line(p, text(p))).join(''));
}

/** virsh's strtoll: blanks, a sign, digits; the rest is the unit suffix. */
const LEADING_INT = /^[ \t\n\v\f\r]*([+-]?\d+)/;

/**
 * virshMemtuneGetSize: a size in KiB (scaled by a unit suffix, rounded up), a negative number
 * meaning unlimited. `false` when it cannot be read; a unit error is left for the report.
 */
function memtuneSize(ctl: Control, text: string): bigint | false {
  const m = LEADING_INT.exec(text);
  if (!m) return false;
  const value = BigInt(m[1]!);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) return false;
  if (value < 0n) return MEMORY_PARAM_UNLIMITED;
  const suffix = text.slice(m[0].length);
  const scale = unitScale(suffix);
  if (scale instanceof VirError) {
    ctl.saveError(scale);
    return false;
  }
  if (value !== 0n && value > (2n ** 63n - 1n) / scale) {
    ctl.saveError(
      new VirError({
        code: ErrorCode.OVERFLOW,
        domain: ErrorDomain.NONE,
        detail: `value too large: ${value}${suffix}`,
      }),
    );
    return false;
  }
  return (value * scale + 1023n) / 1024n;
}

/** virScaleInteger's units, KiB when none is given. */
export function unitScale(suffix: string): bigint | VirError {
  if (suffix === '') return 1024n;
  if (/^(b|byte|bytes)$/i.test(suffix)) return 1n;
  const unknown = new VirError({
    code: ErrorCode.INVALID_ARG,
    domain: ErrorDomain.NONE,
    detail: `unknown suffix '${suffix}'`,
  });
  let base: bigint;
  if (suffix.length === 1 || suffix.slice(1).toLowerCase() === 'ib') base = 1024n;
  else if (suffix.length === 2 && suffix[1]!.toLowerCase() === 'b') base = 1000n;
  else return unknown;
  const power = 'kmgtpe'.indexOf(suffix[0]!.toLowerCase()) + 1;
  return power === 0 ? unknown : base ** BigInt(power);
}

const memtune: CommandDef = {
  name: 'memtune',
  group: 'domain',
  help: 'Get or set memory parameters',
  desc: 'Get or set the current memory parameters for a guest domain.\n    To get the memory parameters use following command: \n\n    virsh # memtune <domain>',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('hard-limit', 'Max memory, as scaled integer (default KiB)'),
    opt.int('soft-limit', 'Memory during contention, as scaled integer (default KiB)'),
    opt.int('swap-hard-limit', 'Max memory plus swap, as scaled integer (default KiB)'),
    opt.int('min-guarantee', 'Min guaranteed memory, as scaled integer (default KiB)'),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    const flags = checkedAffectFlags(ctl, cmd);
    if (flags === undefined) return false;
    const { dom } = await optDomain(ctl, cmd);
    const params: TypedParameter[] = [];
    const fields: [string, string][] = [
      ['hard-limit', P.MEMORY_HARD_LIMIT],
      ['soft-limit', P.MEMORY_SOFT_LIMIT],
      ['swap-hard-limit', P.MEMORY_SWAP_HARD_LIMIT],
      ['min-guarantee', P.MEMORY_MIN_GUARANTEE],
    ];
    for (const [name, field] of fields) {
      const text = cmd.string(name);
      if (text === undefined) continue;
      const kib = text === '' ? false : memtuneSize(ctl, text);
      if (kib === false) {
        ctl.error(`Unable to parse integer parameter ${name}`);
        return false;
      }
      params.push({ field, type: 'ullong', value: kib });
    }
    if (params.length > 0) return writeParams(ctl, () => dom.setMemoryParameters(params, flags), 'memory');
    const got = await readParams(ctl, (n, f) => dom.getMemoryParameters(n, f), flags, 'memory');
    if (!got) return false;
    printParams(ctl, got, (p) =>
      p.type === 'ullong' && p.value === MEMORY_PARAM_UNLIMITED ? 'unlimited' : typedParamText(p),
    );
    return true;
  },
};

const BLKIO_DEVICE_OPTS: readonly [string, string, string][] = [
  ['device-weights', P.BLKIO_DEVICE_WEIGHT, 'per-device IO Weights, in the form of /path/to/device,weight,...'],
  [
    'device-read-iops-sec',
    P.BLKIO_DEVICE_READ_IOPS,
    'per-device read I/O limit per second, in the form of /path/to/device,read_iops_sec,...',
  ],
  [
    'device-write-iops-sec',
    P.BLKIO_DEVICE_WRITE_IOPS,
    'per-device write I/O limit per second, in the form of /path/to/device,write_iops_sec,...',
  ],
  [
    'device-read-bytes-sec',
    P.BLKIO_DEVICE_READ_BPS,
    'per-device bytes read per second, in the form of /path/to/device,read_bytes_sec,...',
  ],
  [
    'device-write-bytes-sec',
    P.BLKIO_DEVICE_WRITE_BPS,
    'per-device bytes wrote per second, in the form of /path/to/device,write_bytes_sec,...',
  ],
];

const blkiotune: CommandDef = {
  name: 'blkiotune',
  group: 'domain',
  help: 'Get or set blkio parameters',
  desc: 'Get or set the current blkio parameters for a guest domain.\n    To get the blkio parameters use following command: \n\n    virsh # blkiotune <domain>',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('weight', 'IO Weight'),
    ...BLKIO_DEVICE_OPTS.map(([name, , help]) => opt.string(name, help)),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    const flags = checkedAffectFlags(ctl, cmd);
    if (flags === undefined) return false;
    const { dom } = await optDomain(ctl, cmd);
    const params: TypedParameter[] = [];
    const weightText = cmd.string('weight');
    if (weightText !== undefined) {
      const weight = parseCInt(weightText);
      if (weight === undefined) {
        ctl.error(`Numeric value '${weightText}' for <weight> option is malformed or out of range`);
        return false;
      }
      if (weight <= 0) {
        ctl.error(`Invalid value of ${weight} for I/O weight`);
        return false;
      }
      params.push({ field: P.BLKIO_WEIGHT, type: 'uint', value: weight });
    }
    for (const [name, field] of BLKIO_DEVICE_OPTS) {
      const text = cmd.string(name);
      if (text === undefined) continue;
      if (text === '') {
        ctl.error('Unable to parse string parameter');
        return false;
      }
      params.push({ field, type: 'string', value: text });
    }
    if (params.length > 0) return writeParams(ctl, () => dom.setBlkioParameters(params, flags), 'blkio');
    const got = await readParams(ctl, (n, f) => dom.getBlkioParameters(n, f), flags, 'blkio');
    if (!got) return false;
    printParams(ctl, got, typedParamText);
    return true;
  },
};

/** virsh accepts a mode's name or a number (for modes newer than itself). */
function numaMode(text: string): number | undefined {
  const named = (NUMATUNE_MODES as readonly string[]).indexOf(text);
  if (named >= 0) return named;
  // virStrToLong_i with base 0: decimal, 0x hex or 0 octal.
  const m = /^[ \t\n\v\f\r]*([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  const magnitude = /^0x/i.test(body)
    ? Number.parseInt(body.slice(2), 16)
    : body.startsWith('0')
      ? Number.parseInt(body, 8)
      : Number(body);
  const n = m[1] === '-' ? -magnitude : magnitude;
  return n > 2147483647 || n < -2147483648 ? undefined : n;
}

const numatune: CommandDef = {
  name: 'numatune',
  group: 'domain',
  help: 'Get or set numa parameters',
  desc: 'Get or set the current numa parameters for a guest domain.\n    To get the numa parameters use following command: \n\n    virsh # numatune <domain>',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string(
      'mode',
      'NUMA mode, one of strict, preferred and interleave \nor a number from the virDomainNumatuneMemMode enum',
    ),
    opt.string('nodeset', 'NUMA node selections to set'),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    const flags = checkedAffectFlags(ctl, cmd);
    if (flags === undefined) return false;
    const { dom } = await optDomain(ctl, cmd);
    const params: TypedParameter[] = [];
    const nodeset = optString(ctl, cmd, 'nodeset');
    if (nodeset !== undefined) params.push({ field: P.NUMA_NODESET, type: 'string', value: nodeset });
    const modeText = optString(ctl, cmd, 'mode');
    if (modeText !== undefined) {
      const mode = numaMode(modeText);
      if (mode === undefined) {
        ctl.error(`Invalid mode: ${modeText}`);
        return false;
      }
      params.push({ field: P.NUMA_MODE, type: 'int', value: mode });
    }
    if (params.length > 0) return writeParams(ctl, () => dom.setNumaParameters(params, flags), 'numa');
    const got = await readParams(ctl, (n, f) => dom.getNumaParameters(n, f), flags, 'numa', 'memory');
    if (!got) return false;
    printParams(ctl, got, (p) =>
      p.type === 'int' && p.field === P.NUMA_MODE ? (NUMATUNE_MODES[p.value] ?? '(null)') : typedParamText(p),
    );
    return true;
  },
};

export const domainTuneCommands: readonly CommandDef[] = [blkiotune, memtune, numatune];
