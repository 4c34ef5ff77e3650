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
/** virDomainMemoryStatStruct: tag is a virDomainMemoryStatTags value, val mostly in KiB. */
export interface DomainMemoryStat {
  tag: number;
  val: bigint;
}
/** virDomainControlInfo: the state of the driver's control of the domain (its monitor). */
export interface DomainControlInfo {
  /** virDomainControlState: 0 ok, 1 background job, 2 occupied, 3 error. */
  state: number;
  /** virDomainControlErrorReason when state is error. */
  details: number;
  /** Milliseconds spent in the current state (not for ok). */
  stateTime: number;
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
/** virSecurityModel: the host's security driver ('' when none) and its domain of interpretation. */
export interface SecurityModel {
  model: string;
  doi: string;
}
/** virSecurityLabel: a running domain's label ('' when it has none) and whether it is enforced. */
export interface SecurityLabel {
  label: string;
  enforcing: boolean;
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
/** virDomainBlockStatsStruct: -1 where the hypervisor has no figure. */
export interface BlockStats {
  rdReq: bigint;
  rdBytes: bigint;
  wrReq: bigint;
  wrBytes: bigint;
  errs: bigint;
}
/**
 * One figure of virDomainBlockStatsFlags, named as libvirt's VIR_DOMAIN_BLOCK_STATS_* fields
 * (rd_operations, rd_bytes, wr_operations, wr_bytes, errs, flush_operations, rd_total_times,
 * wr_total_times, flush_total_times); a driver leaves out what it cannot measure.
 */
export interface BlockStatsParam {
  readonly field: string;
  readonly value: bigint;
}
/** virDomainInterfaceStatsStruct, as seen from the guest: rx is what the guest received. */
export interface InterfaceStats {
  rxBytes: bigint;
  rxPackets: bigint;
  rxErrs: bigint;
  rxDrop: bigint;
  txBytes: bigint;
  txPackets: bigint;
  txErrs: bigint;
  txDrop: bigint;
}
/** virNetworkDHCPLease: one lease a network's DHCP server handed out. */
export interface NetworkDhcpLease {
  /** The network's bridge. */
  iface: string;
  /** Seconds since the epoch; 0 for a lease that does not expire. */
  expiryTime: number;
  /** virIPAddrType: 0 IPv4, 1 IPv6. */
  type: number;
  mac?: string;
  /** IPv6 identity association id. */
  iaid?: string;
  ipAddress: string;
  prefix: number;
  hostname?: string;
  /** DHCPv4 client id or DHCPv6 DUID. */
  clientId?: string;
}
