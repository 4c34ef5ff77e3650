/**
 * vCPU information, CPU pinning and scheduler parameters (virDomainGetVcpus, virDomainPinVcpu,
 * virDomainPinEmulator, virDomainGetSchedulerParameters and friends).
 *
 * CPU maps are libvirt's: bit `n % 8` of byte `n / 8` stands for host CPU n; every map has the
 * caller's `maplen` bytes.
 */
import type { DomainRef } from './refs.js';
import type { TypedParameter } from './typed-parameter.js';

/** virVcpuState. */
export const VcpuRunState = { OFFLINE: 0, RUNNING: 1, BLOCKED: 2 } as const;

/** virDomainGetVcpusFlags / virDomainSetVcpusFlags extra flags (beside AffectFlags). */
export const VcpuFlags = { MAXIMUM: 1 << 2, GUEST: 1 << 3, HOTPLUGGABLE: 1 << 4 } as const;

/** virVcpuInfo: one vCPU of a running guest. */
export interface VcpuInfo {
  number: number;
  /** A VcpuRunState value. */
  state: number;
  /** Nanoseconds of host CPU time. */
  cpuTime: bigint;
  /** The host CPU it runs on, -1 when unknown. */
  cpu: number;
}

/** virDomainGetVcpus' answer: one CPU map per info entry (empty maps when none were asked). */
export interface DomainVcpuList {
  info: VcpuInfo[];
  cpumaps: Uint8Array[];
}

/** virDomainGetSchedulerType: the scheduler's name and how many parameters it has. */
export interface SchedulerType {
  type: string;
  nparams: number;
}

/** virNodeGetCPUMap: how many CPUs the host has, which are online, and how many. */
export interface NodeCpuMap {
  cpus: number;
  online: number;
  map: Uint8Array;
}

/**
 * The optional group behind those APIs. `flags` undefined in the scheduler calls means the
 * older entry point without flags (libvirt routes both to one driver function, but they are
 * separate procedures on the wire).
 */
export interface DomainCpuTuning {
  /** virDomainGetVcpus: at most `maxinfo` entries; `maplen` 0 asks for no CPU maps. */
  getVcpus?(ref: DomainRef, maxinfo: number, maplen: number): Promise<DomainVcpuList>;
  /** virDomainGetVcpusFlags: a count of vCPUs (AffectFlags, VcpuFlags). */
  getVcpusFlags?(ref: DomainRef, flags: number): Promise<number>;
  /** virDomainPinVcpuFlags. */
  pinVcpu?(ref: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): Promise<void>;
  /** virDomainGetVcpuPinInfo: one map per vCPU, at most `ncpumaps`. */
  getVcpuPinInfo?(ref: DomainRef, ncpumaps: number, maplen: number, flags: number): Promise<Uint8Array[]>;
  /** virDomainPinEmulator. */
  pinEmulator?(ref: DomainRef, cpumap: Uint8Array, flags: number): Promise<void>;
  /** virDomainGetEmulatorPinInfo. */
  getEmulatorPinInfo?(ref: DomainRef, maplen: number, flags: number): Promise<Uint8Array>;
  /** virDomainGetSchedulerType. */
  getSchedulerType?(ref: DomainRef): Promise<SchedulerType>;
  /** virDomainGetSchedulerParameters(Flags). */
  getSchedulerParameters?(ref: DomainRef, flags: number | undefined): Promise<TypedParameter[]>;
  /** virDomainSetSchedulerParameters(Flags). */
  setSchedulerParameters?(ref: DomainRef, params: readonly TypedParameter[], flags: number | undefined): Promise<void>;
}
