import type { DomainState, StoragePoolState, StorageVolType } from './states.js';

/** virDomainInfo: memory in KiB, CPU time in nanoseconds. */
export interface DomainInfo {
  state: DomainState;
  maxMem: number;
  memory: number;
  nrVirtCpu: number;
  /** CPU time used, in nanoseconds (a 64-bit count, hence bigint). */
  cpuTime: bigint;
}
export interface DomainStateInfo {
  state: DomainState;
  reason: number;
}
/** virNodeInfo: memory in KiB, mhz is the CPU frequency. */
export interface NodeInfo {
  model: string;
  memory: number;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}
/** virStoragePoolInfo: sizes in bytes. */
export interface StoragePoolInfo {
  state: StoragePoolState;
  capacity: number;
  allocation: number;
  available: number;
}
/** virStorageVolInfo: sizes in bytes. */
export interface StorageVolInfo {
  type: StorageVolType;
  capacity: number;
  allocation: number;
}
