import type { DomainRef } from './refs.js';
import type { TypedParameter } from './typed-parameter.js';

/**
 * libvirt's two-step read of a parameter set: asked with nparams 0 a driver answers only how
 * many parameters it has (params empty); otherwise at most nparams of them.
 */
export interface TypedParameterList {
  params: TypedParameter[];
  nparams: number;
}

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: a memory limit of this many KiB (2^53 - 1) means none. */
export const MEMORY_PARAM_UNLIMITED = 9007199254740991n;

/** Field names of virDomainGet/SetMemoryParameters, virDomainGet/SetBlkioParameters and virDomainGet/SetNumaParameters. */
export const TuningParam = {
  MEMORY_HARD_LIMIT: 'hard_limit',
  MEMORY_SOFT_LIMIT: 'soft_limit',
  MEMORY_MIN_GUARANTEE: 'min_guarantee',
  MEMORY_SWAP_HARD_LIMIT: 'swap_hard_limit',
  BLKIO_WEIGHT: 'weight',
  BLKIO_DEVICE_WEIGHT: 'device_weight',
  BLKIO_DEVICE_READ_IOPS: 'device_read_iops_sec',
  BLKIO_DEVICE_WRITE_IOPS: 'device_write_iops_sec',
  BLKIO_DEVICE_READ_BPS: 'device_read_bytes_sec',
  BLKIO_DEVICE_WRITE_BPS: 'device_write_bytes_sec',
  NUMA_NODESET: 'numa_nodeset',
  NUMA_MODE: 'numa_mode',
} as const;

/**
 * Host resource controls of a domain (<memtune>, <blkiotune>, <numatune>) as typed parameters;
 * flags are AffectFlags (LIVE, CONFIG), plus VIR_TYPED_PARAM_STRING_OKAY on the reads.
 */
export interface DomainTuning {
  getMemoryParameters?(ref: DomainRef, nparams: number, flags: number): Promise<TypedParameterList>;
  setMemoryParameters?(ref: DomainRef, params: readonly TypedParameter[], flags: number): Promise<void>;
  getBlkioParameters?(ref: DomainRef, nparams: number, flags: number): Promise<TypedParameterList>;
  setBlkioParameters?(ref: DomainRef, params: readonly TypedParameter[], flags: number): Promise<void>;
  getNumaParameters?(ref: DomainRef, nparams: number, flags: number): Promise<TypedParameterList>;
  setNumaParameters?(ref: DomainRef, params: readonly TypedParameter[], flags: number): Promise<void>;
}

/** virDomainBlockInfo: sizes in bytes. */
export interface DomainBlockInfo {
  capacity: bigint;
  allocation: bigint;
  physical: bigint;
}

/** The guest's clock: seconds since the epoch and nanoseconds. */
export interface DomainTime {
  seconds: bigint;
  nseconds: number;
}

/** virDomainFSInfo: one mounted guest file system and the disks (targets) behind it. */
export interface DomainFSInfo {
  mountpoint: string;
  name: string;
  fstype: string;
  devAlias: string[];
}

/** What a driver tells about a guest's disks, clock and file systems. */
export interface DomainGuestInfo {
  /** virDomainGetBlockInfo: `disk` is a target name or a source path. */
  getBlockInfo?(ref: DomainRef, disk: string, flags: number): Promise<DomainBlockInfo>;
  getTime?(ref: DomainRef, flags: number): Promise<DomainTime>;
  /** flags: VIR_DOMAIN_TIME_SYNC (1). */
  setTime?(ref: DomainRef, time: DomainTime, flags: number): Promise<void>;
  getFSInfo?(ref: DomainRef, flags: number): Promise<DomainFSInfo[]>;
}
