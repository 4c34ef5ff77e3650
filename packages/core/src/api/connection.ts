import { hostname } from 'node:os';
import type { NodeCpuMap } from '../contract/cpu-tuning.js';
import type { DomainCapabilitiesQuery, DriverConnection, DriverDescriptor } from '../contract/driver.js';
import type { DriverEvent } from '../contract/events.js';
import { SaveRestoreFlags } from '../contract/flags.js';
import type { NodeStat, StatsParam } from '../contract/host-stats.js';
import type { NodeInfo, SecurityModel } from '../contract/info.js';
import type { DomainLookup } from '../contract/refs.js';
import { checkFlags } from '../errors/check-flags.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { type ConnectUri, formatConnectUri } from '../uri/connect-uri.js';
import { formatCapabilitiesXml } from '../xml/capabilities/index.js';
import { parseDomainXml } from '../xml/domain/index.js';
import { parseNetworkXml } from '../xml/network/index.js';
import { parseStoragePoolXml } from '../xml/storage/index.js';
import { ConnectionContext } from './context.js';
import { Domain } from './domain.js';
import type { ConnectionEventName, ConnectionEvents } from './events.js';
import { supportsFeature } from './features.js';
import { assertNonEmpty, assertWritable, method, need } from './guards.js';
import * as hostStats from './host-stats.js';
import { type Interface, InterfaceCalls } from './interface.js';
import { Network } from './network.js';
import { StoragePool } from './storage-pool.js';
import { StorageVol } from './storage-vol.js';
import { normalizeUuid } from './uuid.js';

/**
 * The libvirt API level tsvirt implements, in libvirt's encoding (major * 1e6 + minor * 1e3 + micro).
 * Clients such as libvirt-python use it to decide which calls they may make.
 */
export const LIBVIRT_API_VERSION = 9_000_000;

type Listener<K extends ConnectionEventName> = (event: ConnectionEvents[K]) => void;

/** An open connection to a hypervisor, as virConnectPtr. */
export class Connection {
  private readonly ctx: ConnectionContext;
  private readonly ifaces: InterfaceCalls;
  private closed = false;
  private readonly listeners = new Map<ConnectionEventName, Set<Listener<ConnectionEventName>>>();
  private unsubscribeDriver?: () => void;

  constructor(
    readonly uri: ConnectUri,
    readonly driverDescriptor: DriverDescriptor,
    driver: DriverConnection,
    readOnly: boolean,
  ) {
    this.ctx = new ConnectionContext(driver, readOnly);
    this.ifaces = new InterfaceCalls(this.ctx);
  }

  private get driver(): DriverConnection {
    if (this.closed)
      throw new VirError({ code: ErrorCode.INVALID_CONN, domain: ErrorDomain.NONE, detail: 'closed connection' });
    return this.ctx.driver;
  }
  private get hv() {
    return this.driver.hypervisor;
  }
  private writable(api: string): void {
    assertWritable(this.ctx.readOnly, api);
  }

  get readOnly(): boolean {
    return this.ctx.readOnly;
  }
  isAlive(): boolean {
    return !this.closed && (this.ctx.driver.isAlive?.() ?? true);
  }
  /**
   * virConnectRegisterCloseCallback: `listener(reason, error)` runs once when the connection to a
   * daemon drops (reason as virConnectCloseReason). Drivers without a connection to lose refuse.
   */
  onClose(listener: (reason: number, error: Error) => void): () => void {
    const driver = this.driver;
    return need(driver.registerCloseCallback, 'virConnectRegisterCloseCallback').call(driver, listener);
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.unsubscribeDriver?.();
    this.listeners.clear();
    const driver = this.ctx.driver;
    this.closed = true;
    await driver.close();
  }

  /** Does the driver behind this connection implement `feature`? See api/features.ts for the names. */
  supports(feature: string): boolean {
    return supportsFeature(this.driver, feature);
  }

  getType(): string {
    return this.hv.getType();
  }
  async getVersion(): Promise<number> {
    return this.hv.getVersion();
  }
  async getLibVersion(): Promise<number> {
    return LIBVIRT_API_VERSION;
  }
  async getHostname(): Promise<string> {
    return this.hv.getHostname ? this.hv.getHostname() : hostname();
  }
  getUri(): string {
    return this.driver.getUri?.() ?? formatConnectUri(this.uri);
  }
  async getCapabilities(): Promise<string> {
    return formatCapabilitiesXml(await this.hv.getCapabilities());
  }
  async getNodeInfo(): Promise<NodeInfo> {
    return method(this.hv, 'getNodeInfo', 'virNodeGetInfo')();
  }
  /** virNodeGetCPUMap. */
  async getCPUMap(flags = 0): Promise<NodeCpuMap> {
    return method(this.hv, 'getCPUMap', 'virNodeGetCPUMap')(flags);
  }
  async getMaxVcpus(type?: string): Promise<number> {
    return method(this.hv, 'getMaxVcpus', 'virConnectGetMaxVcpus')(type);
  }
  async getSysinfo(): Promise<string> {
    return method(this.hv, 'getSysinfo', 'virConnectGetSysinfo')();
  }
  async getFreeMemory(): Promise<number> {
    return method(this.hv, 'getFreeMemory', 'virNodeGetFreeMemory')();
  }
  /** virNodeGetSecurityModel: the host's security driver; model '' when there is none. */
  async getSecurityModel(): Promise<SecurityModel> {
    return method(this.hv, 'getSecurityModel', 'virNodeGetSecurityModel')();
  }

  /** virNodeGetCellsFreeMemory: free bytes of up to `maxCells` NUMA cells from `startCell`. */
  async getCellsFreeMemory(startCell: number, maxCells: number): Promise<bigint[]> {
    return hostStats.cellsFreeMemory(this.hv, startCell, maxCells);
  }
  /** virNodeGetCPUStats: cumulative CPU times in ns (`cpuNum` -1: all CPUs). */
  async getCpuStats(cpuNum = -1, flags = 0): Promise<NodeStat[]> {
    return hostStats.nodeCpuStats(this.hv, cpuNum, flags);
  }
  /** virNodeGetMemoryStats: memory figures in KiB (`cellNum` -1: all cells). */
  async getMemoryStats(cellNum = -1, flags = 0): Promise<NodeStat[]> {
    return hostStats.nodeMemoryStats(this.hv, cellNum, flags);
  }
  /** virConnectGetCPUModelNames: [] means the driver accepts every model for `arch`. */
  async getCpuModelNames(arch: string, flags = 0): Promise<string[]> {
    return hostStats.cpuModelNames(this.hv, arch, flags);
  }
  /** virConnectGetAllDomainStats: `stats` is a DomainStatsTypes mask (0: all the driver has). */
  async getAllDomainStats(stats = 0, flags = 0): Promise<{ domain: Domain; params: readonly StatsParam[] }[]> {
    const bulk = hostStats.bulkMethod(this.hv, 'virConnectGetAllDomainStats');
    return (await bulk(undefined, stats, flags)).map((r) => ({ domain: this.domain(r.ref), params: r.params }));
  }
  /** virDomainListGetStats: the same for the given domains, in their order. */
  async domainListGetStats(
    domains: readonly Domain[],
    stats = 0,
    flags = 0,
  ): Promise<{ domain: Domain; params: readonly StatsParam[] }[]> {
    hostStats.assertSomeDomains(domains.length);
    const bulk = hostStats.bulkMethod(this.hv, 'virDomainListGetStats');
    const refs = domains.map((d) => d.handle);
    return (await bulk(refs, stats, flags)).map((r) => ({ domain: this.domain(r.ref), params: r.params }));
  }

  /** virConnectGetDomainCapabilities: what the hypervisor offers for one emulator/arch/machine/type. */
  async getDomainCapabilities(query: DomainCapabilitiesQuery = {}, flags = 0): Promise<string> {
    checkFlags(flags, 0, 'virConnectGetDomainCapabilities');
    return method(this.hv, 'getDomainCapabilities', 'virConnectGetDomainCapabilities')(query, flags);
  }
  /** virConnectDomainXMLToNative: `format` is the driver's native format name, e.g. 'qemu-argv'. */
  async domainXmlToNative(format: string, xml: string, flags = 0): Promise<string> {
    this.writable('virConnectDomainXMLToNative');
    assertNonEmpty(format, 'nativeFormat', 'virConnectDomainXMLToNative');
    assertNonEmpty(xml, 'domainXml', 'virConnectDomainXMLToNative');
    checkFlags(flags, 0, 'virConnectDomainXMLToNative');
    return method(this.hv, 'domainXmlToNative', 'virConnectDomainXMLToNative')(format, xml, flags);
  }

  // ----- domains -----
  private domain(ref: { name: string; uuid: string; id: number }): Domain {
    return new Domain(this.ctx, ref);
  }
  async listAllDomains(flags = 0): Promise<Domain[]> {
    return (await this.hv.listDomains(flags)).map((r) => this.domain(r));
  }
  private async lookupDomain(by: DomainLookup): Promise<Domain> {
    return this.domain(await this.hv.lookupDomain(by));
  }
  async lookupDomainByName(name: string): Promise<Domain> {
    assertNonEmpty(name, 'name', 'virDomainLookupByName');
    return this.lookupDomain({ name });
  }
  async lookupDomainById(id: number): Promise<Domain> {
    if (!Number.isInteger(id) || id < 0) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.NONE,
        message: 'id in virDomainLookupByID must be greater than or equal to 0',
      });
    }
    return this.lookupDomain({ id });
  }
  async lookupDomainByUuid(uuid: string): Promise<Domain> {
    return this.lookupDomain({ uuid: normalizeUuid(uuid, 'virDomainLookupByUUIDString') });
  }
  async defineDomainXml(xml: string, flags = 0): Promise<Domain> {
    const api = flags ? 'virDomainDefineXMLFlags' : 'virDomainDefineXML';
    this.writable(api);
    assertNonEmpty(xml, 'xml', api);
    const define = method(this.hv.lifecycle, 'defineXml', api);
    return this.domain(await define(this.parseDomain(xml), flags));
  }
  async createDomainXml(xml: string, flags = 0): Promise<Domain> {
    this.writable('virDomainCreateXML');
    assertNonEmpty(xml, 'xmlDesc', 'virDomainCreateXML');
    const create = method(this.hv.lifecycle, 'createXml', 'virDomainCreateXML');
    return this.domain(await create(this.parseDomain(xml), flags));
  }

  /** virDomainRestoreFlags: start the guest a save image holds; `dxml` replaces its definition. */
  async restoreDomain(path: string, flags = 0, dxml?: string): Promise<Domain> {
    const api = flags || dxml !== undefined ? 'virDomainRestoreFlags' : 'virDomainRestore';
    this.writable(api);
    assertNonEmpty(path, 'from', api);
    checkFlags(
      flags,
      Object.values(SaveRestoreFlags).reduce((a, b) => a | b, 0),
      api,
    );
    const restore = method(this.hv.saveRestore, 'restore', api);
    return this.domain(await restore(path, dxml === undefined ? undefined : this.parseDomain(dxml), flags));
  }

  private parseDomain(xml: string) {
    const opts = this.driver.domainXml;
    return parseDomainXml(xml, { hooks: opts?.hooks, defaultArch: opts?.defaultArch });
  }

  // ----- networks -----
  private get networks() {
    return this.driver.network;
  }
  async listAllNetworks(flags = 0): Promise<Network[]> {
    const refs = await method(this.networks, 'listNetworks', 'virConnectListAllNetworks')(flags);
    return refs.map((r) => new Network(this.ctx, r));
  }
  async lookupNetworkByName(name: string): Promise<Network> {
    assertNonEmpty(name, 'name', 'virNetworkLookupByName');
    return new Network(this.ctx, await method(this.networks, 'lookupNetwork', 'virNetworkLookupByName')({ name }));
  }
  async lookupNetworkByUuid(uuid: string): Promise<Network> {
    const lookup = method(this.networks, 'lookupNetwork', 'virNetworkLookupByUUIDString');
    return new Network(this.ctx, await lookup({ uuid: normalizeUuid(uuid, 'virNetworkLookupByUUIDString') }));
  }
  async defineNetworkXml(xml: string): Promise<Network> {
    this.writable('virNetworkDefineXML');
    assertNonEmpty(xml, 'xml', 'virNetworkDefineXML');
    const define = method(this.networks, 'defineNetwork', 'virNetworkDefineXML');
    return new Network(this.ctx, await define(parseNetworkXml(xml)));
  }
  async createNetworkXml(xml: string): Promise<Network> {
    this.writable('virNetworkCreateXML');
    assertNonEmpty(xml, 'xmlDesc', 'virNetworkCreateXML');
    const create = method(this.networks, 'createNetwork', 'virNetworkCreateXML');
    return new Network(this.ctx, await create(parseNetworkXml(xml)));
  }

  // ----- storage -----
  private get storage() {
    return this.driver.storage;
  }
  async listAllStoragePools(flags = 0): Promise<StoragePool[]> {
    const refs = await method(this.storage, 'listPools', 'virConnectListAllStoragePools')(flags);
    return refs.map((r) => new StoragePool(this.ctx, r));
  }
  async lookupStoragePoolByName(name: string): Promise<StoragePool> {
    assertNonEmpty(name, 'name', 'virStoragePoolLookupByName');
    return new StoragePool(this.ctx, await method(this.storage, 'lookupPool', 'virStoragePoolLookupByName')({ name }));
  }
  async lookupStoragePoolByUuid(uuid: string): Promise<StoragePool> {
    const lookup = method(this.storage, 'lookupPool', 'virStoragePoolLookupByUUIDString');
    return new StoragePool(this.ctx, await lookup({ uuid: normalizeUuid(uuid, 'virStoragePoolLookupByUUIDString') }));
  }
  async lookupStoragePoolByVolume(vol: StorageVol): Promise<StoragePool> {
    const lookup = method(this.storage, 'lookupPool', 'virStoragePoolLookupByVolume');
    return new StoragePool(this.ctx, await lookup({ volume: vol.handle }));
  }
  async defineStoragePoolXml(xml: string, flags = 0): Promise<StoragePool> {
    this.writable('virStoragePoolDefineXML');
    assertNonEmpty(xml, 'xml', 'virStoragePoolDefineXML');
    const define = method(this.storage, 'definePool', 'virStoragePoolDefineXML');
    return new StoragePool(this.ctx, await define(parseStoragePoolXml(xml), flags));
  }
  async createStoragePoolXml(xml: string, flags = 0): Promise<StoragePool> {
    this.writable('virStoragePoolCreateXML');
    assertNonEmpty(xml, 'xmlDesc', 'virStoragePoolCreateXML');
    const create = method(this.storage, 'createPool', 'virStoragePoolCreateXML');
    return new StoragePool(this.ctx, await create(parseStoragePoolXml(xml), flags));
  }
  async lookupStorageVolByKey(key: string): Promise<StorageVol> {
    assertNonEmpty(key, 'key', 'virStorageVolLookupByKey');
    return new StorageVol(this.ctx, await method(this.storage, 'lookupVolume', 'virStorageVolLookupByKey')({ key }));
  }
  async lookupStorageVolByPath(path: string): Promise<StorageVol> {
    assertNonEmpty(path, 'path', 'virStorageVolLookupByPath');
    return new StorageVol(this.ctx, await method(this.storage, 'lookupVolume', 'virStorageVolLookupByPath')({ path }));
  }

  // ----- host interfaces (the calls live in interface.ts) -----
  /** virConnectListAllInterfaces: `flags` takes ListInterfacesFlags. */
  async listAllInterfaces(flags = 0): Promise<Interface[]> {
    return this.ifaces.listAll(flags);
  }
  async numOfInterfaces(): Promise<number> {
    return this.ifaces.count(true);
  }
  async numOfDefinedInterfaces(): Promise<number> {
    return this.ifaces.count(false);
  }
  async listInterfaces(maxnames: number): Promise<string[]> {
    return this.ifaces.names(true, maxnames);
  }
  async listDefinedInterfaces(maxnames: number): Promise<string[]> {
    return this.ifaces.names(false, maxnames);
  }
  async lookupInterfaceByName(name: string): Promise<Interface> {
    return this.ifaces.lookupByName(name);
  }
  async lookupInterfaceByMACString(mac: string): Promise<Interface> {
    return this.ifaces.lookupByMac(mac);
  }
  /** virInterfaceDefineXML: `flags` takes InterfaceDefineFlags. */
  async defineInterfaceXml(xml: string, flags = 0): Promise<Interface> {
    return this.ifaces.define(xml, flags);
  }
  async interfaceChangeBegin(flags = 0): Promise<void> {
    return this.ifaces.changeBegin(flags);
  }
  async interfaceChangeCommit(flags = 0): Promise<void> {
    return this.ifaces.changeCommit(flags);
  }
  async interfaceChangeRollback(flags = 0): Promise<void> {
    return this.ifaces.changeRollback(flags);
  }

  // ----- events -----
  /**
   * Subscribe to lifecycle events; returns the function that unsubscribes. Events arrive in the
   * order the driver emitted them, each after the call that caused it has returned.
   */
  on<K extends ConnectionEventName>(name: K, listener: Listener<K>): () => void {
    const source = need(this.driver.events, 'virConnectDomainEventRegisterAny');
    if (!this.unsubscribeDriver) this.unsubscribeDriver = source.subscribe((e) => this.enqueue(e));
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<ConnectionEventName>);
    return () => set.delete(listener as Listener<ConnectionEventName>);
  }

  private queue: DriverEvent[] = [];
  private enqueue(e: DriverEvent): void {
    this.queue.push(e);
    if (this.queue.length === 1) setImmediate(() => this.flush());
  }
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    for (const e of batch) this.dispatch(e);
  }
  private dispatch(e: DriverEvent): void {
    const set = this.listeners.get(e.kind);
    if (!set || set.size === 0) return;
    const payload =
      e.kind === 'domain-lifecycle'
        ? { domain: this.domain(e.domain), event: e.event, detail: e.detail }
        : e.kind === 'domain-metadata-change'
          ? { domain: this.domain(e.domain), type: e.type, nsuri: e.nsuri }
          : e.kind === 'network-lifecycle'
            ? { network: new Network(this.ctx, e.network), event: e.event, detail: e.detail }
            : { pool: new StoragePool(this.ctx, e.pool), event: e.event, detail: e.detail };
    for (const l of set) {
      try {
        l(payload as never);
      } catch {
        // A failing listener must not stop delivery to the others.
      }
    }
  }
}
