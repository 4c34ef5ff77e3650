/**
 * virDomainGet/Set{Memory,Blkio,Numa}Parameters as libvirt's test driver answers them: the
 * <memtune>, <blkiotune> and <numatune> of one definition (live or persistent) as typed parameters.
 */
import {
  AffectFlags,
  type BlkioDevice,
  type DomainDef,
  type DomainRef,
  type DomainTuning,
  ErrorCode,
  ErrorDomain,
  formatBitmap,
  MEMORY_PARAM_UNLIMITED,
  NUMATUNE_MODES,
  type NumaTune,
  TuningParam as P,
  parseBitmap,
  type TypedParameter,
  type TypedParameterList,
  VirError,
} from '@tsvirt/core';
import { parseBlkioDevices } from './blkio-devices.js';
import { checkFlags, testError } from './errors.js';
import type { TestDomain } from './state.js';
import { oneTargetOf } from './tuning.js';
import { validateTypedParams } from './typed-param-check.js';

const STRING_OKAY = 1 << 2;
const GET_FLAGS = AffectFlags.LIVE | AffectFlags.CONFIG | STRING_OKAY;
const SET_FLAGS = AffectFlags.LIVE | AffectFlags.CONFIG;

const domainError = (code: ErrorCode, detail: string) => new VirError({ code, domain: ErrorDomain.DOMAIN, detail });

/** A limit in KiB as a parameter value: no limit is libvirt's "unlimited" number. */
const limitValue = (kib: number | undefined): bigint => (kib === undefined ? MEMORY_PARAM_UNLIMITED : BigInt(kib));
const limitKiB = (value: bigint): number | undefined => (value >= MEMORY_PARAM_UNLIMITED ? undefined : Number(value));

/** At most `nparams` of `all`, the count alone when nparams is 0. */
function answer(all: TypedParameter[], nparams: number): TypedParameterList {
  if (nparams === 0) return { params: [], nparams: all.length };
  const params = all.slice(0, nparams);
  return { params, nparams: params.length };
}

/** A parameter's value as a 64-bit unsigned number (validated to be 'ullong' before). */
const ullong = (p: TypedParameter): bigint => (p.type === 'ullong' ? p.value : 0n);

export class TestTuning implements DomainTuning {
  constructor(private readonly find: (ref: DomainRef) => TestDomain) {}

  async getMemoryParameters(ref: DomainRef, nparams: number, flags: number): Promise<TypedParameterList> {
    checkFlags(flags, GET_FLAGS, 'testDomainGetMemoryParameters');
    // The count is answered without looking at the domain, as libvirt's test driver does.
    if (nparams === 0) return { params: [], nparams: 3 };
    const { def } = oneTargetOf(this.find(ref), flags);
    const t = def.memtune;
    return answer(
      [
        { field: P.MEMORY_HARD_LIMIT, type: 'ullong', value: limitValue(t?.hardLimit) },
        { field: P.MEMORY_SOFT_LIMIT, type: 'ullong', value: limitValue(t?.softLimit) },
        { field: P.MEMORY_SWAP_HARD_LIMIT, type: 'ullong', value: limitValue(t?.swapHardLimit) },
      ],
      nparams,
    );
  }

  async setMemoryParameters(ref: DomainRef, params: readonly TypedParameter[], flags: number): Promise<void> {
    checkFlags(flags, SET_FLAGS, 'testDomainSetMemoryParameters');
    validateTypedParams(params, {
      [P.MEMORY_HARD_LIMIT]: 'ullong',
      [P.MEMORY_SOFT_LIMIT]: 'ullong',
      [P.MEMORY_SWAP_HARD_LIMIT]: 'ullong',
    });
    const d = this.find(ref);
    const target = oneTargetOf(d, flags);
    const given = (field: string) => params.find((p) => p.field === field);
    const hard = given(P.MEMORY_HARD_LIMIT);
    const soft = given(P.MEMORY_SOFT_LIMIT);
    const swap = given(P.MEMORY_SWAP_HARD_LIMIT);
    if (hard || swap) {
      // libvirt compares with the limits of the domain's current definition, whichever one changes.
      const current = d.def.memtune;
      const memLimit = hard ? ullong(hard) : limitValue(current?.hardLimit);
      const swapLimit = swap ? ullong(swap) : limitValue(current?.swapHardLimit);
      if (memLimit > swapLimit) {
        throw testError(
          ErrorCode.INVALID_ARG,
          'memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
        );
      }
    }
    const memtune = { ...(target.def.memtune ?? {}) };
    if (soft) memtune.softLimit = limitKiB(ullong(soft));
    if (hard) memtune.hardLimit = limitKiB(ullong(hard));
    if (swap) memtune.swapHardLimit = limitKiB(ullong(swap));
    target.set({ ...target.def, memtune });
  }

  async getBlkioParameters(ref: DomainRef, nparams: number, flags: number): Promise<TypedParameterList> {
    checkFlags(flags, GET_FLAGS, 'testDomainGetBlkioParameters');
    if (nparams === 0) return { params: [], nparams: 6 };
    const { def } = oneTargetOf(this.find(ref), flags);
    const devices = def.blkiotune?.devices ?? [];
    // One "path,value,path,value" string per kind, listing the devices that have a non-zero value.
    const list = (field: string, pick: (d: BlkioDevice) => number | undefined): TypedParameter => ({
      field,
      type: 'string',
      value: devices.flatMap((d) => (pick(d) ? [`${d.path},${pick(d)}`] : [])).join(','),
    });
    return answer(
      [
        { field: P.BLKIO_WEIGHT, type: 'uint', value: def.blkiotune?.weight ?? 0 },
        list(P.BLKIO_DEVICE_WEIGHT, (d) => d.weight),
        list(P.BLKIO_DEVICE_READ_IOPS, (d) => d.readIopsSec),
        list(P.BLKIO_DEVICE_WRITE_IOPS, (d) => d.writeIopsSec),
        list(P.BLKIO_DEVICE_READ_BPS, (d) => d.readBytesSec),
        list(P.BLKIO_DEVICE_WRITE_BPS, (d) => d.writeBytesSec),
      ],
      nparams,
    );
  }

  async setBlkioParameters(ref: DomainRef, params: readonly TypedParameter[], flags: number): Promise<void> {
    checkFlags(flags, SET_FLAGS, 'testDomainSetBlkioParameters');
    validateTypedParams(params, {
      [P.BLKIO_WEIGHT]: 'uint',
      [P.BLKIO_DEVICE_WEIGHT]: 'string',
      [P.BLKIO_DEVICE_READ_IOPS]: 'string',
      [P.BLKIO_DEVICE_WRITE_IOPS]: 'string',
      [P.BLKIO_DEVICE_READ_BPS]: 'string',
      [P.BLKIO_DEVICE_WRITE_BPS]: 'string',
    });
    const target = oneTargetOf(this.find(ref), flags);
    const tune = { weight: target.def.blkiotune?.weight, devices: [...(target.def.blkiotune?.devices ?? [])] };
    // libvirt goes on past a bad device list and keeps what the other parameters changed.
    let failure: VirError | undefined;
    for (const p of params) {
      if (p.field === P.BLKIO_WEIGHT && p.type === 'uint') {
        tune.weight = p.value;
      } else if (p.type === 'string') {
        try {
          mergeDevices(tune.devices, p.field, parseBlkioDevices(p.value, p.field));
        } catch (e) {
          failure = e as VirError;
        }
      }
    }
    target.set({ ...target.def, blkiotune: tune });
    if (failure) throw failure;
  }

  async getNumaParameters(ref: DomainRef, nparams: number, flags: number): Promise<TypedParameterList> {
    checkFlags(flags, GET_FLAGS, 'testDomainGetNumaParameters');
    if (nparams === 0) return { params: [], nparams: 2 };
    const { def } = oneTargetOf(this.find(ref), flags);
    const memory = def.numatune?.memory;
    const mode = NUMATUNE_MODES.indexOf(memory?.mode ?? 'strict');
    const nodeset = memory?.placement === 'static' ? (memory.nodeset ?? '') : '';
    return answer(
      [
        { field: P.NUMA_MODE, type: 'int', value: mode },
        { field: P.NUMA_NODESET, type: 'string', value: nodeset },
      ],
      nparams,
    );
  }

  async setNumaParameters(ref: DomainRef, params: readonly TypedParameter[], flags: number): Promise<void> {
    checkFlags(flags, SET_FLAGS, 'testDomainSetNumaParameters');
    validateTypedParams(params, { [P.NUMA_MODE]: 'int', [P.NUMA_NODESET]: 'string' });
    const target = oneTargetOf(this.find(ref), flags);
    let mode: number | undefined;
    let nodeset: string | undefined;
    for (const p of params) {
      if (p.field === P.NUMA_MODE && p.type === 'int') {
        if (p.value < 0 || p.value >= NUMATUNE_MODES.length) {
          throw testError(ErrorCode.INVALID_ARG, `unsupported numatune mode: '${p.value}'`);
        }
        mode = p.value;
      } else if (p.field === P.NUMA_NODESET && p.type === 'string') {
        nodeset = nodesetOf(p.value);
      }
    }
    const memory = target.def.numatune?.memory;
    if (target.live && mode !== undefined && memory && NUMATUNE_MODES.indexOf(memory.mode) !== mode) {
      throw testError(ErrorCode.OPERATION_INVALID, "can't change numatune mode for running domain");
    }
    const numatune = withNumaMemory(target.def, mode, nodeset);
    if (numatune) target.set({ ...target.def, numatune });
  }
}

/** A nodeset parameter in canonical form; one that selects no node is refused. */
function nodesetOf(text: string): string {
  let nodes: number[];
  try {
    nodes = parseBitmap(text, 'nodeset');
  } catch {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.NONE,
      detail: `Failed to parse bitmap '${text}'`,
    });
  }
  if (nodes.length === 0) throw testError(ErrorCode.OPERATION_INVALID, `Invalid nodeset of 'numatune': ${text}`);
  return formatBitmap(nodes);
}

/**
 * libvirt's virDomainNumatuneSet for the whole-guest <memory> element: a new mode and/or
 * nodeset; without an element yet, placement follows the nodeset or the vCPU placement.
 * Undefined when nothing is to change.
 */
function withNumaMemory(def: DomainDef, mode: number | undefined, nodeset: string | undefined): NumaTune | undefined {
  if (mode === undefined && nodeset === undefined) return undefined;
  const old = def.numatune?.memory;
  let placement: 'static' | 'auto' | 'default' | undefined = old ? undefined : 'default';
  const next = { mode: old?.mode ?? 'strict', nodeset: old?.nodeset, placement: old?.placement ?? 'static' };
  if (mode !== undefined) next.mode = NUMATUNE_MODES[mode]!;
  if (nodeset !== undefined) {
    next.nodeset = nodeset;
    placement ??= 'static';
  }
  if (placement === 'default') {
    placement = next.nodeset !== undefined || (def.vcpu.placement ?? 'static') === 'static' ? 'static' : 'auto';
  }
  if (placement === 'static' && next.nodeset === undefined) {
    throw domainError(
      ErrorCode.CONFIG_UNSUPPORTED,
      "nodeset for NUMA memory tuning must be set if 'placement' is 'static'",
    );
  }
  if (placement === 'auto') next.nodeset = undefined;
  if (placement !== undefined) next.placement = placement;
  return { memnodes: def.numatune?.memnodes ?? [], memory: next };
}

/** Which BlkioDevice field a device parameter sets. */
const DEVICE_FIELD: Record<string, keyof Omit<BlkioDevice, 'path'>> = {
  [P.BLKIO_DEVICE_WEIGHT]: 'weight',
  [P.BLKIO_DEVICE_READ_IOPS]: 'readIopsSec',
  [P.BLKIO_DEVICE_WRITE_IOPS]: 'writeIopsSec',
  [P.BLKIO_DEVICE_READ_BPS]: 'readBytesSec',
  [P.BLKIO_DEVICE_WRITE_BPS]: 'writeBytesSec',
};

/** libvirt's merge: a known path gets the new value (zero included), a new one only a non-zero value. */
function mergeDevices(into: BlkioDevice[], field: string, given: { path: string; value: number }[]): void {
  const key = DEVICE_FIELD[field]!;
  for (const g of given) {
    const at = into.findIndex((d) => d.path === g.path);
    if (at >= 0) into[at] = { ...into[at]!, [key]: g.value };
    else if (g.value !== 0) into.push({ path: g.path, [key]: g.value });
  }
}
