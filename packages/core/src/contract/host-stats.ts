import type { DomainRef } from './refs.js';

/** One virNodeCPUStats / virNodeMemoryStats figure: a field name (user, kernel, total, ...) and its value. */
export interface NodeStat {
  readonly field: string;
  readonly value: bigint;
}

/** One virTypedParameter of a bulk-stats record, typed as libvirt types it on the wire. */
export type StatsParam = { readonly field: string } & (
  | { readonly type: 'int' | 'uint' | 'double'; readonly value: number }
  | { readonly type: 'llong' | 'ullong'; readonly value: bigint }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
);

/** virDomainStatsRecord: one domain and the statistics the driver reported for it. */
export interface DomainStatsRecordRef {
  readonly ref: DomainRef;
  readonly params: readonly StatsParam[];
}

/** virDomainStatsTypes: the groups virConnectGetAllDomainStats can be asked for. */
export const DomainStatsTypes = {
  STATE: 0x1,
  CPU_TOTAL: 0x2,
  BALLOON: 0x4,
  VCPU: 0x8,
  INTERFACE: 0x10,
  BLOCK: 0x20,
  PERF: 0x40,
  IOTHREAD: 0x80,
  MEMORY: 0x100,
  DIRTYRATE: 0x200,
  VM: 0x400,
} as const;

/** virConnectGetAllDomainStatsFlags beyond the list filters (VIR_CONNECT_LIST_DOMAINS_*, 0xff). */
export const GetAllDomainStatsFlags = {
  NOWAIT: 0x20000000,
  BACKING: 0x40000000,
  ENFORCE_STATS: 0x80000000,
} as const;

/** The domain list filters (VIR_CONNECT_LIST_DOMAINS_ACTIVE ... OTHER) the bulk-stats flags may carry. */
export const GET_ALL_DOMAIN_STATS_LIST_FILTERS = 0xff;

/** Every flag virConnectGetAllDomainStats knows: the list filters, NOWAIT, BACKING, ENFORCE_STATS. */
export const GET_ALL_DOMAIN_STATS_FLAGS =
  (GET_ALL_DOMAIN_STATS_LIST_FILTERS |
    GetAllDomainStatsFlags.NOWAIT |
    GetAllDomainStatsFlags.BACKING |
    GetAllDomainStatsFlags.ENFORCE_STATS) >>>
  0;

/**
 * Host-side statistics (virNodeGet*, virConnectGetCPUModelNames). Each method is optional: core
 * answers libvirt's "not supported" for a missing one.
 */
export interface HostStatsDriver {
  /** Free memory of `maxCells` NUMA cells from `startCell`, in bytes (the API layer checks the range's sign). */
  getCellsFreeMemory?(startCell: number, maxCells: number): Promise<bigint[]>;
  /** `cpuNum` -1 means all CPUs together. */
  getCpuStats?(cpuNum: number, flags: number): Promise<NodeStat[]>;
  /** `cellNum` -1 means all cells together. */
  getMemoryStats?(cellNum: number, flags: number): Promise<NodeStat[]>;
  /** The CPU models the driver knows for `arch` ([] when it accepts any). */
  getCpuModelNames?(arch: string, flags: number): Promise<string[]>;
}

/** virConnectGetAllDomainStats / virDomainListGetStats for a driver. */
export interface BulkDomainStats {
  /** `refs` undefined means every domain the list filters in `flags` select. */
  getAllDomainStats(
    refs: readonly DomainRef[] | undefined,
    stats: number,
    flags: number,
  ): Promise<DomainStatsRecordRef[]>;
}
