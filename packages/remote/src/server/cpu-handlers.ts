/**
 * Server side of the vCPU, pinning, scheduler and node CPU map procedures, answering as libvirtd
 * does: CPU maps in one buffer of the caller's sizes, scheduler parameters cut to what was asked.
 */
import { ErrorCode, ErrorDomain, type TypedParameter, VirError } from '@tsvirt/core';
import type { CpuTuningProcedures } from '../protocol/cpu-procedures.js';
import { CPUMAPS_MAX, SCHEDULER_PARAMETERS_MAX, VCPUINFO_MAX } from '../protocol/cpu-procedures.js';
import type { ArgsOf, RetOf } from '../protocol/procedures.js';
import { stripStrings } from '../protocol/typed-params.js';
import type { SessionApi } from './handlers.js';

type Table = typeof CpuTuningProcedures;
type Run<K extends keyof Table> = (s: SessionApi, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>> | RetOf<Table[K]>;

const rpcError = (message: string): VirError => new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.RPC, message });

const domain = (s: SessionApi, ref: { uuid: string }) => s.conn.lookupDomainByUuid(ref.uuid);

/** Several maps laid end to end in a buffer of `count * maplen` bytes, as libvirt's callers allocate. */
function joinMaps(maps: readonly Uint8Array[], count: number, maplen: number): Uint8Array {
  const out = new Uint8Array(count * maplen);
  maps.slice(0, count).forEach((m, i) => {
    out.set(m.subarray(0, maplen), i * maplen);
  });
  return out;
}

/** libvirtd's bounds on the CPU map sizes a caller asks for. */
function checkMapsSize(count: number, maplen: number, countMax: number, countWord: string): void {
  if (count > countMax) throw rpcError(`${countWord} > REMOTE_VCPUINFO_MAX`);
  if (count * maplen > CPUMAPS_MAX) throw rpcError(`${countWord} * maplen > REMOTE_CPUMAPS_MAX`);
}

function checkNparams(nparams: number): void {
  if (nparams > SCHEDULER_PARAMETERS_MAX) throw rpcError('nparams too large');
}

/** Parameters as they travel: strings only for callers that said they take them. */
const sent = (params: TypedParameter[], nparams: number, flags: number) =>
  stripStrings(params.slice(0, nparams), flags);

export const cpuTuningHandlers: { [K in keyof Table]: Run<K> } = {
  DOMAIN_GET_MAX_VCPUS: async (s, ref) => (await domain(s, ref)).getMaxVcpus(),
  DOMAIN_GET_VCPUS: async (s, a) => {
    checkMapsSize(a.maxinfo, a.maplen, VCPUINFO_MAX, 'maxinfo');
    const { info, cpumaps } = await (await domain(s, a.dom)).getVcpus(a.maxinfo, a.maplen);
    return { info, cpumaps: joinMaps(cpumaps, a.maxinfo, Math.max(a.maplen, 0)) };
  },
  DOMAIN_PIN_VCPU: async (s, a) => (await domain(s, a.dom)).pinVcpu(a.vcpu, a.cpumap),
  DOMAIN_PIN_VCPU_FLAGS: async (s, a) => (await domain(s, a.dom)).pinVcpu(a.vcpu, a.cpumap, a.flags),
  DOMAIN_GET_VCPU_PIN_INFO: async (s, a) => {
    checkMapsSize(a.ncpumaps, a.maplen, VCPUINFO_MAX, 'ncpumaps');
    const maps = await (await domain(s, a.dom)).getVcpuPinInfo(a.ncpumaps, a.maplen, a.flags);
    return { cpumaps: joinMaps(maps, a.ncpumaps, a.maplen), num: maps.length };
  },
  DOMAIN_PIN_EMULATOR: async (s, a) => (await domain(s, a.dom)).pinEmulator(a.cpumap, a.flags),
  DOMAIN_GET_EMULATOR_PIN_INFO: async (s, a) => {
    if (a.maplen > CPUMAPS_MAX) throw rpcError('maplen > REMOTE_CPUMAPS_MAX');
    const map = await (await domain(s, a.dom)).getEmulatorPinInfo(a.maplen, a.flags);
    return { cpumaps: map, ret: 1 };
  },
  DOMAIN_GET_VCPUS_FLAGS: async (s, a) => (await domain(s, a.dom)).getVcpusFlags(a.flags),
  DOMAIN_GET_SCHEDULER_TYPE: async (s, ref) => (await domain(s, ref)).getSchedulerType(),
  DOMAIN_GET_SCHEDULER_PARAMETERS: async (s, a) => {
    checkNparams(a.nparams);
    return sent(await (await domain(s, a.dom)).getSchedulerParameters(), a.nparams, 0);
  },
  DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS: async (s, a) => {
    checkNparams(a.nparams);
    return sent(await (await domain(s, a.dom)).getSchedulerParameters(a.flags), a.nparams, a.flags);
  },
  DOMAIN_SET_SCHEDULER_PARAMETERS: async (s, a) => (await domain(s, a.dom)).setSchedulerParameters(a.params),
  DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS: async (s, a) =>
    (await domain(s, a.dom)).setSchedulerParameters(a.params, a.flags),
  NODE_GET_CPU_MAP: async (s, a) => {
    const m = await s.conn.getCPUMap(a.flags);
    return { cpumap: a.needMap ? m.map : new Uint8Array(0), online: a.needOnline ? m.online : 0, ret: m.cpus };
  },
};
