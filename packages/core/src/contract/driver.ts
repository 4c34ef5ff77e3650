import type { ConnectUri } from '../uri/connect-uri.js';
import type { CapabilitiesDef } from '../xml/capabilities/types.js';
import type { DeviceDef } from '../xml/domain/device.js';
import type { DomainXmlHooks } from '../xml/domain/hooks.js';
import type { DomainDef } from '../xml/domain/types.js';
import type { NetworkDef } from '../xml/network/types.js';
import type { NetworkPortDef } from '../xml/networkport/types.js';
import type { DomainSnapshotDef } from '../xml/snapshot/types.js';
import type { StoragePoolDef } from '../xml/storage/pool-types.js';
import type { StorageVolDef } from '../xml/storage/vol-types.js';
import type { DomainCheckpoints } from './checkpoints.js';
import type { DomainCpuTuning, NodeCpuMap } from './cpu-tuning.js';
import type { DriverEvent } from './events.js';
import type { BulkDomainStats, HostStatsDriver } from './host-stats.js';
import type {
  BlockStats,
  BlockStatsParam,
  DomainControlInfo,
  DomainInfo,
  DomainMemoryStat,
  DomainStateInfo,
  InterfaceStats,
  NetworkDhcpLease,
  NodeInfo,
  SecurityLabel,
  SecurityModel,
  StoragePoolInfo,
  StorageVolInfo,
} from './info.js';
import type { InterfaceDriver } from './interfaces.js';
import type { DomainIOThreads } from './iothreads.js';
import type {
  DomainLookup,
  DomainRef,
  NetworkLookup,
  NetworkRef,
  SnapshotRef,
  StoragePoolLookup,
  StoragePoolRef,
  StorageVolLookup,
  StorageVolRef,
} from './refs.js';
import type { StreamChunk } from './stream-chunk.js';
import type { DomainGuestInfo, DomainTuning } from './tuning.js';

/** What `open()` answers when a URI is not for this driver: the next driver is tried. */
export const DECLINED: unique symbol = Symbol.for('tsvirt.driver.declined') as never;
export type Declined = typeof DECLINED;

/** The contract version a driver is written against. Core accepts every version it knows. */
export const CONTRACT_VERSION = 1 as const;

export interface OpenOptions {
  /** Open read-only: drivers must refuse every write with VIR_ERR_OPERATION_DENIED. */
  readonly readOnly?: boolean;
  /** Set when the URI came from the default (no URI given), for drivers that probe. */
  readonly probing?: boolean;
  /** Driver-specific settings from configuration or the caller. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** What a driver package exports (as `driver` or its default export). */
export interface DriverDescriptor {
  readonly contractVersion: typeof CONTRACT_VERSION;
  readonly name: string;
  readonly uriSchemes: readonly string[];
  /** Only local URIs (no host, no transport). */
  readonly localOnly?: boolean;
  /** Only remote URIs (a host or a transport). */
  readonly remoteOnly?: boolean;
  /** Runs in the caller's process without a daemon. */
  readonly embeddable?: boolean;
  open(uri: ConnectUri, options: OpenOptions): Promise<DriverConnection | Declined>;
}

/** One open connection of a driver. */
export interface DriverConnection {
  readonly hypervisor: HypervisorDriver;
  readonly network?: NetworkDriver;
  readonly storage?: StorageDriver;
  /** Host network interfaces (virInterface*). */
  readonly interfaces?: InterfaceDriver;
  readonly events?: EventSource;
  /** How core parses and formats this driver's domain XML: its hooks and default architecture. */
  readonly domainXml?: DomainXmlOptions;
  /**
   * Told, once after open, the shared network driver core paired with this connection (a
   * hypervisor driver with no network driver of its own plugs guest NICs through it), or
   * undefined when none is installed.
   */
  useNetworkDriver?(network: NetworkDriver | undefined): void;
  /** Overrides what core infers from the methods present, for features a driver declares off. */
  supportsFeature?(feature: string): boolean | undefined;
  /** The canonical URI of this connection (what `virsh uri` prints). */
  getUri?(): string;
  /** False once a remote connection has dropped (virConnectIsAlive). */
  isAlive?(): boolean;
  /**
   * virConnectRegisterCloseCallback: `listener` is called once when the connection closes, with
   * libvirt's virConnectCloseReason (0 error, 1 EOF, 2 keepalive, 3 client) and the error seen.
   */
  registerCloseCallback?(listener: (reason: number, error: Error) => void): () => void;
  close(): Promise<void>;
}

export interface DomainXmlOptions {
  readonly hooks?: DomainXmlHooks;
  /** Architecture given to <os><type> without arch= (libvirt takes it from the driver's capabilities). */
  readonly defaultArch?: string;
}

/** Events are delivered in order; the returned function unsubscribes. */
export interface EventSource {
  subscribe(listener: (event: DriverEvent) => void): () => void;
}

export interface HypervisorDriver {
  getType(): string;
  getVersion(): Promise<number>;
  getCapabilities(): Promise<CapabilitiesDef>;
  getHostname?(): Promise<string>;
  getNodeInfo?(): Promise<NodeInfo>;
  getMaxVcpus?(type?: string): Promise<number>;
  getSysinfo?(): Promise<string>;
  getFreeMemory?(): Promise<number>;
  /** virNodeGetSecurityModel. */
  getSecurityModel?(): Promise<SecurityModel>;
  /** virNodeGetCPUMap. */
  getCPUMap?(flags: number): Promise<NodeCpuMap>;

  listDomains(flags: number): Promise<DomainRef[]>;
  lookupDomain(by: DomainLookup): Promise<DomainRef>;
  getDomainXml(ref: DomainRef, flags: number): Promise<DomainDef>;

  /** virConnectGetDomainCapabilities: the <domainCapabilities> document, as text. */
  getDomainCapabilities?(query: DomainCapabilitiesQuery, flags: number): Promise<string>;
  /** virConnectDomainXMLToNative: the driver's native form of a definition (e.g. 'qemu-argv'). */
  domainXmlToNative?(format: string, xml: string, flags: number): Promise<string>;

  lifecycle?: DomainLifecycle;
  snapshots?: DomainSnapshots;
  checkpoints?: DomainCheckpoints;
  saveRestore?: DomainSaveRestore;
  hotplug?: DomainHotplug;
  stats?: DomainStats;
  cpuTuning?: DomainCpuTuning;
  iothreads?: DomainIOThreads;
  console?: DomainConsole;
  /** Hypervisor-specific passthrough (libvirt-qemu's virDomainQemuMonitorCommand). */
  monitor?: DomainMonitorPassthrough;
  /** <memtune>, <blkiotune>, <numatune> as typed parameters. */
  tuning?: DomainTuning;
  /** Block device sizes, the guest clock, guest file systems. */
  guestInfo?: DomainGuestInfo;
  /** virNodeGetCPUStats and the other host-side statistics. */
  hostStats?: HostStatsDriver;
  /** virConnectGetAllDomainStats / virDomainListGetStats. */
  bulkStats?: BulkDomainStats;
}

/** What virConnectGetDomainCapabilities asks about; absent fields take the driver's defaults. */
export interface DomainCapabilitiesQuery {
  readonly emulator?: string;
  readonly arch?: string;
  readonly machine?: string;
  readonly virtType?: string;
}

/**
 * virDomainAttachDeviceFlags / virDomainDetachDeviceFlags: a device added to or removed from
 * the running guest (AFFECT_LIVE), the persistent definition (AFFECT_CONFIG), or both.
 */
export interface DomainHotplug {
  attachDevice(ref: DomainRef, device: DeviceDef, flags: number): Promise<void>;
  detachDevice(ref: DomainRef, device: DeviceDef, flags: number): Promise<void>;
}

/**
 * virDomainSave/virDomainRestore and managed save: a running guest's state (memory and devices)
 * written to a file, the guest then shut off, and later started again from that file.
 * Whether a managed-save image exists is answered by `lifecycle.hasManagedSaveImage`.
 */
export interface DomainSaveRestore {
  /** `dxml` replaces the definition the image keeps (undefined: the running one). */
  save(ref: DomainRef, path: string, dxml: DomainDef | undefined, flags: number): Promise<void>;
  /** Starts the guest the image holds; answers it (now running or paused). */
  restore(path: string, dxml: DomainDef | undefined, flags: number): Promise<DomainRef>;
  /** Saves to the driver's own place; the next start of the guest resumes from there. */
  managedSave(ref: DomainRef, flags: number): Promise<void>;
  managedSaveRemove(ref: DomainRef, flags: number): Promise<void>;
}

/** virDomainBlockStats / virDomainInterfaceStats: counters of one disk or NIC of a running guest. */
export interface DomainStats {
  /** `disk` is a target name (vda) or a source path, as virsh domblkstat accepts. */
  blockStats?(ref: DomainRef, disk: string): Promise<BlockStats>;
  /** virDomainBlockStatsFlags: the figures the driver has, in its order; `disk` '' sums all disks. */
  blockStatsFlags?(ref: DomainRef, disk: string, flags: number): Promise<BlockStatsParam[]>;
  /** `iface` is a host-side interface name (vnet0) or a MAC address. */
  interfaceStats?(ref: DomainRef, iface: string): Promise<InterfaceStats>;
}

/** virDomainOpenConsole: a byte stream to a guest's serial console or other character device. */
export interface DomainConsole {
  /** `device` is an alias such as serial0 or console0; undefined means the first console. */
  open(ref: DomainRef, device: string | undefined, flags: number): Promise<ConsoleStream>;
}

/** The two directions of a console: what the guest writes, and a way to write to it. */
export interface ConsoleStream {
  readonly output: AsyncIterable<Uint8Array>;
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface DomainMonitorPassthrough {
  /** `command` is a QMP JSON command, or human monitor text with the HMP flag; answers the reply text. */
  command(ref: DomainRef, command: string, flags: number): Promise<string>;
}

export interface DomainLifecycle {
  defineXml?(def: DomainDef, flags: number): Promise<DomainRef>;
  createXml?(def: DomainDef, flags: number): Promise<DomainRef>;
  undefine?(ref: DomainRef, flags: number): Promise<void>;
  create?(ref: DomainRef, flags: number): Promise<DomainRef>;
  destroy?(ref: DomainRef, flags: number): Promise<void>;
  /** May answer the domain's new ref when the shutdown completed at once (its id is then -1). */
  shutdown?(ref: DomainRef, flags: number): Promise<DomainRef | undefined>;
  reboot?(ref: DomainRef, flags: number): Promise<void>;
  reset?(ref: DomainRef, flags: number): Promise<void>;
  suspend?(ref: DomainRef): Promise<void>;
  resume?(ref: DomainRef): Promise<void>;
  getInfo?(ref: DomainRef): Promise<DomainInfo>;
  getState?(ref: DomainRef, flags: number): Promise<DomainStateInfo>;
  getAutostart?(ref: DomainRef): Promise<boolean>;
  setAutostart?(ref: DomainRef, autostart: boolean): Promise<void>;
  isActive?(ref: DomainRef): Promise<boolean>;
  isPersistent?(ref: DomainRef): Promise<boolean>;
  isUpdated?(ref: DomainRef): Promise<boolean>;
  hasManagedSaveImage?(ref: DomainRef, flags: number): Promise<boolean>;
  /** virDomainGetSecurityLabel. */
  getSecurityLabel?(ref: DomainRef): Promise<SecurityLabel>;
  /** virDomainGetOSType: the guest OS type the driver reports. */
  getOSType?(ref: DomainRef): Promise<string>;
  /** virDomainMemoryStats: at most `nrStats` statistics (the API layer caps it). */
  memoryStats?(ref: DomainRef, nrStats: number, flags: number): Promise<DomainMemoryStat[]>;
  /** virDomainGetControlInfo. */
  getControlInfo?(ref: DomainRef, flags: number): Promise<DomainControlInfo>;
  /** virDomainSetMetadata: title, description or a namespaced <metadata> element (core checked the arguments). */
  setMetadata?(
    ref: DomainRef,
    type: number,
    metadata: string | undefined,
    key: string | undefined,
    uri: string | undefined,
    flags: number,
  ): Promise<void>;
  /** virDomainGetMetadata: NO_DOMAIN_METADATA when absent. */
  getMetadata?(ref: DomainRef, type: number, uri: string | undefined, flags: number): Promise<string>;
  /** virDomainGetHostname: the guest's host name; flags pick the source (lease, agent). */
  getHostname?(ref: DomainRef, flags: number): Promise<string>;
  /** virDomainGetMessages: taint and deprecation notes (flags DomainMessageFlags; none: both). */
  getMessages?(ref: DomainRef, flags: number): Promise<string[]>;
  setMemory?(ref: DomainRef, kib: number, flags: number): Promise<void>;
  setMaxMemory?(ref: DomainRef, kib: number): Promise<void>;
  setVcpus?(ref: DomainRef, count: number, flags: number): Promise<void>;
  rename?(ref: DomainRef, newName: string, flags: number): Promise<DomainRef>;
}

export interface DomainSnapshots {
  create(ref: DomainRef, def: DomainSnapshotDef, flags: number): Promise<SnapshotRef>;
  list(ref: DomainRef, flags: number): Promise<SnapshotRef[]>;
  lookup(ref: DomainRef, name: string): Promise<SnapshotRef>;
  getXml(snap: SnapshotRef, flags: number): Promise<DomainSnapshotDef>;
  current?(ref: DomainRef): Promise<SnapshotRef>;
  getParent?(snap: SnapshotRef): Promise<SnapshotRef>;
  /** The children of `snap` (all descendants with SnapshotListFlags.DESCENDANTS). */
  listChildren?(snap: SnapshotRef, flags: number): Promise<SnapshotRef[]>;
  revert?(snap: SnapshotRef, flags: number): Promise<void>;
  delete?(snap: SnapshotRef, flags: number): Promise<void>;
}

/** A guest NIC to plug into a network (libvirt's network port), asked by a hypervisor driver. */
export interface NetworkPortRequest {
  readonly mac: string;
  /** The interface's <bandwidth>, as the network XML models it. */
  readonly bandwidth?: NonNullable<NetworkDef['bandwidth']>;
  readonly portgroup?: string;
  /** A device name the interface asks for (<target dev>). */
  readonly ifname?: string;
  readonly isolated?: boolean;
  /** Who uses the port (the domain's name). */
  readonly owner?: string;
  /** The owner's UUID (the domain's), for the port's <owner>. */
  readonly ownerUuid?: string;
}

/** The device a network gave a guest NIC: a tap on its bridge, or a macvtap on a host device. */
export interface NetworkPortAllocation {
  readonly ifname: string;
  readonly type: 'tap' | 'macvtap';
  readonly bridge?: string;
  readonly device?: string;
  /** The network port object this allocation is (virNetworkPort UUID). */
  readonly uuid?: string;
  readonly warnings: readonly string[];
}

export interface NetworkDriver {
  listNetworks(flags: number): Promise<NetworkRef[]>;
  lookupNetwork(by: NetworkLookup): Promise<NetworkRef>;
  getNetworkXml(ref: NetworkRef, flags: number): Promise<NetworkDef>;
  defineNetwork?(def: NetworkDef): Promise<NetworkRef>;
  createNetwork?(def: NetworkDef): Promise<NetworkRef>;
  undefineNetwork?(ref: NetworkRef): Promise<void>;
  startNetwork?(ref: NetworkRef): Promise<void>;
  destroyNetwork?(ref: NetworkRef): Promise<void>;
  getNetworkAutostart?(ref: NetworkRef): Promise<boolean>;
  setNetworkAutostart?(ref: NetworkRef, autostart: boolean): Promise<void>;
  isNetworkActive?(ref: NetworkRef): Promise<boolean>;
  isNetworkPersistent?(ref: NetworkRef): Promise<boolean>;
  getBridgeName?(ref: NetworkRef): Promise<string>;
  /** Plug a guest NIC into the network named `network`; for hypervisor drivers. */
  allocatePort?(network: string, request: NetworkPortRequest): Promise<NetworkPortAllocation>;
  releasePort?(network: string, ifname: string): Promise<void>;
  /** virNetworkPortCreateXML: records a port (bandwidth floor, pool device) for a NIC its owner plugs. */
  createPort?(ref: NetworkRef, def: NetworkPortDef, flags: number): Promise<NetworkPortDef>;
  /** virNetworkListAllPorts: every port of the network, as port definitions. */
  listPorts?(ref: NetworkRef, flags: number): Promise<NetworkPortDef[]>;
  /** virNetworkPortLookupByUUID (and the port's XML). */
  lookupPort?(ref: NetworkRef, uuid: string): Promise<NetworkPortDef>;
  /** virNetworkPortDelete. */
  deletePort?(ref: NetworkRef, uuid: string, flags: number): Promise<void>;
  /** virNetworkUpdate: one section changed (NetworkUpdateCommand/Section/Flags numbers). */
  updateNetwork?(
    ref: NetworkRef,
    command: number,
    section: number,
    parentIndex: number,
    xml: string,
    flags: number,
  ): Promise<void>;
  /** virNetworkGetDHCPLeases, optionally only for one MAC address. */
  getDhcpLeases?(ref: NetworkRef, mac: string | undefined, flags: number): Promise<NetworkDhcpLease[]>;
}

export interface StorageDriver {
  listPools(flags: number): Promise<StoragePoolRef[]>;
  lookupPool(by: StoragePoolLookup): Promise<StoragePoolRef>;
  getPoolXml(ref: StoragePoolRef, flags: number): Promise<StoragePoolDef>;
  definePool?(def: StoragePoolDef, flags: number): Promise<StoragePoolRef>;
  createPool?(def: StoragePoolDef, flags: number): Promise<StoragePoolRef>;
  undefinePool?(ref: StoragePoolRef): Promise<void>;
  buildPool?(ref: StoragePoolRef, flags: number): Promise<void>;
  startPool?(ref: StoragePoolRef, flags: number): Promise<void>;
  destroyPool?(ref: StoragePoolRef): Promise<void>;
  deletePool?(ref: StoragePoolRef, flags: number): Promise<void>;
  refreshPool?(ref: StoragePoolRef, flags: number): Promise<void>;
  getPoolInfo?(ref: StoragePoolRef): Promise<StoragePoolInfo>;
  getPoolAutostart?(ref: StoragePoolRef): Promise<boolean>;
  setPoolAutostart?(ref: StoragePoolRef, autostart: boolean): Promise<void>;
  isPoolActive?(ref: StoragePoolRef): Promise<boolean>;
  isPoolPersistent?(ref: StoragePoolRef): Promise<boolean>;

  listVolumes?(pool: StoragePoolRef): Promise<StorageVolRef[]>;
  lookupVolume?(by: StorageVolLookup): Promise<StorageVolRef>;
  getVolumeXml?(ref: StorageVolRef, flags: number): Promise<StorageVolDef>;
  getVolumePath?(ref: StorageVolRef): Promise<string>;
  getVolumeInfo?(ref: StorageVolRef): Promise<StorageVolInfo>;
  createVolume?(pool: StoragePoolRef, def: StorageVolDef, flags: number): Promise<StorageVolRef>;
  deleteVolume?(ref: StorageVolRef, flags: number): Promise<void>;
  /**
   * virStorageVolUpload: write `data` into the volume starting at `range.offset` (`length` 0:
   * as much as comes). Resolves once every byte is written; a failure of `data` aborts it.
   * `data` holds holes only with StorageVolUploadFlags.SPARSE_STREAM; a driver without sparse
   * support refuses that flag.
   */
  uploadVolume?(ref: StorageVolRef, data: AsyncIterable<StreamChunk>, range: VolumeRange, flags: number): Promise<void>;
  /**
   * virStorageVolDownload: the volume's bytes from `range.offset` (`length` 0: to the end).
   * Problems with the volume or the range throw here, before the first byte. Holes are yielded
   * only with StorageVolDownloadFlags.SPARSE_STREAM.
   */
  downloadVolume?(ref: StorageVolRef, range: VolumeRange, flags: number): Promise<AsyncIterable<StreamChunk>>;
}

/** The part of a volume a transfer covers: bytes from `offset`; `length` 0 means to the end. */
export interface VolumeRange {
  readonly offset: number;
  readonly length: number;
}
