import {
  type CapabilitiesDef,
  type DomainDef,
  type DomainLifecycle,
  type DomainLookup,
  type DomainRef,
  type DomainState,
  formatDomainSnapshotXml,
  formatDomainXml,
  formatNetworkPortXml,
  formatNetworkXml,
  formatStoragePoolXml,
  formatStorageVolXml,
  type HypervisorDriver,
  type NetworkDriver,
  type NetworkPortDef,
  parseCapabilitiesXml,
  parseDomainSnapshotXml,
  parseDomainXml,
  parseNetworkPortXml,
  parseNetworkXml,
  parseStoragePoolXml,
  parseStorageVolXml,
  type StorageDriver,
  type StoragePoolState,
  type StorageVolType,
} from '@tsvirt/core';
import type { NetworkPortHandle } from '../protocol/objects.js';
import { DrvFeature } from '../protocol/procedures.js';
import { remoteCheckpoints } from './remote-checkpoints.js';
import { remoteCpuMap, remoteCpuTuning } from './remote-cpu-tuning.js';
import { remoteHotplug, remoteMonitor, remoteSaveRestore, remoteStats } from './remote-domain-ops.js';
import { remoteBulkStats, remoteHostStats } from './remote-host-stats.js';
import { remoteIOThreads } from './remote-iothreads.js';
import type { ProcedureCaller, QemuCaller } from './remote-program.js';
import { remoteGuestInfo, remoteTuning } from './remote-tuning.js';

/** The hypervisor methods, each one remote procedure (XML travels as text and is parsed here). */
export function remoteHypervisor(c: ProcedureCaller, type: () => string, q?: QemuCaller): HypervisorDriver {
  const lifecycle: DomainLifecycle = {
    defineXml: (def: DomainDef, flags: number) =>
      c('DOMAIN_DEFINE_XML_FLAGS', { xml: formatDomainXml(def, { inactive: true, secure: true }), flags }),
    createXml: (def: DomainDef, flags: number) =>
      c('DOMAIN_CREATE_XML', { xml: formatDomainXml(def, { secure: true }), flags }),
    undefine: (dom, flags) => c('DOMAIN_UNDEFINE_FLAGS', { dom, flags }),
    create: (dom, flags) => c('DOMAIN_CREATE_WITH_FLAGS', { dom, flags }),
    destroy: (dom, flags) => c('DOMAIN_DESTROY_FLAGS', { dom, flags }),
    shutdown: async (dom, flags) => {
      await c('DOMAIN_SHUTDOWN_FLAGS', { dom, flags });
      return undefined;
    },
    reboot: (dom, flags) => c('DOMAIN_REBOOT', { dom, flags }),
    suspend: (dom) => c('DOMAIN_SUSPEND', dom),
    resume: (dom) => c('DOMAIN_RESUME', dom),
    getInfo: async (dom) => {
      const i = await c('DOMAIN_GET_INFO', dom);
      return { ...i, state: i.state as DomainState };
    },
    getState: async (dom, flags) => {
      const s = await c('DOMAIN_GET_STATE', { dom, flags });
      return { state: s.state as DomainState, reason: s.reason };
    },
    getAutostart: (dom) => c('DOMAIN_GET_AUTOSTART', dom),
    setAutostart: (dom, autostart) => c('DOMAIN_SET_AUTOSTART', { dom, autostart }),
    isActive: (dom) => c('DOMAIN_IS_ACTIVE', dom),
    isPersistent: (dom) => c('DOMAIN_IS_PERSISTENT', dom),
    getOSType: (dom) => c('DOMAIN_GET_OS_TYPE', dom),
    getHostname: (dom, flags) => c('DOMAIN_GET_HOSTNAME', { dom, flags }),
    getMessages: (dom, flags) => c('DOMAIN_GET_MESSAGES', { dom, flags }),
    setMetadata: (dom, type, metadata, key, uri, flags) =>
      c('DOMAIN_SET_METADATA', { dom, type, metadata, key, uri, flags }),
    getMetadata: (dom, type, uri, flags) => c('DOMAIN_GET_METADATA', { dom, type, uri, flags }),
    memoryStats: (dom, maxStats, flags) => c('DOMAIN_MEMORY_STATS', { dom, maxStats, flags }),
    getControlInfo: (dom, flags) => c('DOMAIN_GET_CONTROL_INFO', { dom, flags }),
    getSecurityLabel: (dom) => c('DOMAIN_GET_SECURITY_LABEL', dom),
    hasManagedSaveImage: (dom, flags) => c('DOMAIN_HAS_MANAGED_SAVE_IMAGE', { dom, flags }),
    isUpdated: (dom) => c('DOMAIN_IS_UPDATED', dom),
    reset: (dom, flags) => c('DOMAIN_RESET', { dom, flags }),
    setMemory: (dom, memory, flags) => c('DOMAIN_SET_MEMORY_FLAGS', { dom, memory, flags }),
    setMaxMemory: (dom, memory) => c('DOMAIN_SET_MAX_MEMORY', { dom, memory }),
    setVcpus: (dom, nvcpus, flags) => c('DOMAIN_SET_VCPUS_FLAGS', { dom, nvcpus, flags }),
    // The server answers only success; the handle keeps its UUID and id and takes the new name.
    rename: async (dom, newName, flags) => {
      await c('DOMAIN_RENAME', { dom, newName, flags });
      return { ...dom, name: newName };
    },
  };
  return {
    getType: type,
    getVersion: () => c('CONNECT_GET_VERSION', undefined),
    getCapabilities: async (): Promise<CapabilitiesDef> =>
      parseCapabilitiesXml(await c('CONNECT_GET_CAPABILITIES', undefined)),
    getHostname: () => c('CONNECT_GET_HOSTNAME', undefined),
    getNodeInfo: () => c('NODE_GET_INFO', undefined),
    getSecurityModel: () => c('NODE_GET_SECURITY_MODEL', undefined),
    getMaxVcpus: (t?: string) => c('CONNECT_GET_MAX_VCPUS', t),
    getSysinfo: () => c('CONNECT_GET_SYSINFO', 0),
    getFreeMemory: () => c('NODE_GET_FREE_MEMORY', undefined),
    getDomainCapabilities: (query, flags) =>
      c('CONNECT_GET_DOMAIN_CAPABILITIES', {
        emulatorbin: query.emulator,
        arch: query.arch,
        machine: query.machine,
        virttype: query.virtType,
        flags,
      }),
    domainXmlToNative: (nativeFormat, domainXml, flags) =>
      c('CONNECT_DOMAIN_XML_TO_NATIVE', { nativeFormat, domainXml, flags }),
    listDomains: async (flags: number) => (await c('CONNECT_LIST_ALL_DOMAINS', { needResults: 1, flags })).items,
    lookupDomain: (by: DomainLookup): Promise<DomainRef> => {
      if ('name' in by) return c('DOMAIN_LOOKUP_BY_NAME', by.name);
      if ('uuid' in by) return c('DOMAIN_LOOKUP_BY_UUID', by.uuid);
      return c('DOMAIN_LOOKUP_BY_ID', by.id);
    },
    getDomainXml: async (dom: DomainRef, flags: number): Promise<DomainDef> =>
      parseDomainXml(await c('DOMAIN_GET_XML_DESC', { dom, flags })),
    lifecycle,
    saveRestore: remoteSaveRestore(c),
    hotplug: remoteHotplug(c),
    stats: remoteStats(c),
    tuning: remoteTuning(c),
    guestInfo: remoteGuestInfo(c),
    cpuTuning: remoteCpuTuning(c),
    iothreads: remoteIOThreads(c),
    getCPUMap: (flags) => remoteCpuMap(c, flags),
    hostStats: remoteHostStats(c),
    bulkStats: remoteBulkStats(c),
    // Only a qemu driver on the other side serves the qemu program.
    ...(q && type() === 'QEMU' ? { monitor: remoteMonitor(q) } : {}),
    checkpoints: remoteCheckpoints(c),
    snapshots: {
      create: (dom, def, flags) => c('DOMAIN_SNAPSHOT_CREATE_XML', { dom, xml: formatDomainSnapshotXml(def), flags }),
      list: async (dom, flags) => (await c('DOMAIN_LIST_ALL_SNAPSHOTS', { dom, needResults: 1, flags })).items,
      lookup: (dom, name) => c('DOMAIN_SNAPSHOT_LOOKUP_BY_NAME', { dom, name, flags: 0 }),
      // The server's XML describes an existing snapshot: read it whole (state, times, parent, domain).
      getXml: async (snap, flags) =>
        parseDomainSnapshotXml(await c('DOMAIN_SNAPSHOT_GET_XML_DESC', { snap, flags }), { redefine: true }),
      current: (dom) => c('DOMAIN_SNAPSHOT_CURRENT', { dom, flags: 0 }),
      getParent: (snap) => c('DOMAIN_SNAPSHOT_GET_PARENT', { snap, flags: 0 }),
      listChildren: async (snap, flags) =>
        (await c('DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN', { snap, needResults: 1, flags })).items,
      revert: (snap, flags) => c('DOMAIN_REVERT_TO_SNAPSHOT', { snap, flags }),
      delete: (snap, flags) => c('DOMAIN_SNAPSHOT_DELETE', { snap, flags }),
    },
  };
}

/** A port's definition, read back from the server by its handle. */
async function portDef(c: ProcedureCaller, port: NetworkPortHandle): Promise<NetworkPortDef> {
  return parseNetworkPortXml(await c('NETWORK_PORT_GET_XML_DESC', { port, flags: 0 }));
}

/** Virtual networks over the wire. */
export function remoteNetworks(c: ProcedureCaller): NetworkDriver {
  // Servers older than the fix of virNetworkUpdate's argument order take command and section
  // swapped on the wire; libvirt's client asks once, as this one does.
  let correctOrder: Promise<boolean> | undefined;
  const updateOrderIsCorrect = () => {
    correctOrder ??= c('CONNECT_SUPPORTS_FEATURE', DrvFeature.NETWORK_UPDATE_HAS_CORRECT_ORDER);
    return correctOrder;
  };
  return {
    listNetworks: async (flags) => (await c('CONNECT_LIST_ALL_NETWORKS', { needResults: 1, flags })).items,
    lookupNetwork: (by) => ('name' in by ? c('NETWORK_LOOKUP_BY_NAME', by.name) : c('NETWORK_LOOKUP_BY_UUID', by.uuid)),
    getNetworkXml: async (net, flags) => parseNetworkXml(await c('NETWORK_GET_XML_DESC', { net, flags })),
    defineNetwork: (def) => c('NETWORK_DEFINE_XML', formatNetworkXml(def, { inactive: true })),
    createNetwork: (def) => c('NETWORK_CREATE_XML', formatNetworkXml(def)),
    undefineNetwork: (net) => c('NETWORK_UNDEFINE', net),
    startNetwork: (net) => c('NETWORK_CREATE', net),
    destroyNetwork: (net) => c('NETWORK_DESTROY', net),
    getNetworkAutostart: (net) => c('NETWORK_GET_AUTOSTART', net),
    setNetworkAutostart: (net, autostart) => c('NETWORK_SET_AUTOSTART', { net, autostart }),
    isNetworkActive: (net) => c('NETWORK_IS_ACTIVE', net),
    isNetworkPersistent: (net) => c('NETWORK_IS_PERSISTENT', net),
    getBridgeName: (net) => c('NETWORK_GET_BRIDGE_NAME', net),
    updateNetwork: async (net, command, section, parentIndex, xml, flags) => {
      const args = (await updateOrderIsCorrect()) ? { command, section } : { command: section, section: command };
      await c('NETWORK_UPDATE', { net, ...args, parentIndex, xml, flags });
    },
    getDhcpLeases: async (net, mac, flags) =>
      (await c('NETWORK_GET_DHCP_LEASES', { net, mac, needResults: 1, flags })).leases,
    // The contract deals in port definitions; the wire in handles: each is read back by UUID.
    createPort: async (net, def, flags) =>
      portDef(c, await c('NETWORK_PORT_CREATE_XML', { net, xml: formatNetworkPortXml(def), flags })),
    listPorts: async (net, flags) => {
      const { items } = await c('NETWORK_LIST_ALL_PORTS', { net, needResults: 1, flags });
      return Promise.all(items.map((port) => portDef(c, port)));
    },
    lookupPort: async (net, uuid) => portDef(c, await c('NETWORK_PORT_LOOKUP_BY_UUID', { net, uuid })),
    deletePort: (net, uuid, flags) => c('NETWORK_PORT_DELETE', { port: { net, uuid }, flags }),
  };
}

/** Storage pools and volumes over the wire. */
export function remoteStorage(c: ProcedureCaller): StorageDriver {
  return {
    listPools: async (flags) => (await c('CONNECT_LIST_ALL_STORAGE_POOLS', { needResults: 1, flags })).items,
    lookupPool: (by) => {
      if ('name' in by) return c('STORAGE_POOL_LOOKUP_BY_NAME', by.name);
      if ('uuid' in by) return c('STORAGE_POOL_LOOKUP_BY_UUID', by.uuid);
      return c('STORAGE_POOL_LOOKUP_BY_VOLUME', by.volume);
    },
    getPoolXml: async (pool, flags) => parseStoragePoolXml(await c('STORAGE_POOL_GET_XML_DESC', { pool, flags })),
    definePool: (def, flags) => c('STORAGE_POOL_DEFINE_XML', { xml: formatStoragePoolXml(def), flags }),
    createPool: (def, flags) => c('STORAGE_POOL_CREATE_XML', { xml: formatStoragePoolXml(def), flags }),
    undefinePool: (pool) => c('STORAGE_POOL_UNDEFINE', pool),
    buildPool: (pool, flags) => c('STORAGE_POOL_BUILD', { pool, flags }),
    startPool: (pool, flags) => c('STORAGE_POOL_CREATE', { pool, flags }),
    destroyPool: (pool) => c('STORAGE_POOL_DESTROY', pool),
    deletePool: (pool, flags) => c('STORAGE_POOL_DELETE', { pool, flags }),
    refreshPool: (pool, flags) => c('STORAGE_POOL_REFRESH', { pool, flags }),
    getPoolInfo: async (pool) => {
      const i = await c('STORAGE_POOL_GET_INFO', pool);
      return { ...i, state: i.state as StoragePoolState };
    },
    getPoolAutostart: (pool) => c('STORAGE_POOL_GET_AUTOSTART', pool),
    setPoolAutostart: (pool, autostart) => c('STORAGE_POOL_SET_AUTOSTART', { pool, autostart }),
    isPoolActive: (pool) => c('STORAGE_POOL_IS_ACTIVE', pool),
    isPoolPersistent: (pool) => c('STORAGE_POOL_IS_PERSISTENT', pool),
    listVolumes: async (pool) => (await c('STORAGE_POOL_LIST_ALL_VOLUMES', { pool, needResults: 1, flags: 0 })).items,
    lookupVolume: (by) => {
      if ('key' in by) return c('STORAGE_VOL_LOOKUP_BY_KEY', by.key);
      if ('path' in by) return c('STORAGE_VOL_LOOKUP_BY_PATH', by.path);
      return c('STORAGE_VOL_LOOKUP_BY_NAME', { pool: by.pool, name: by.name });
    },
    getVolumeXml: async (vol, flags) => parseStorageVolXml(await c('STORAGE_VOL_GET_XML_DESC', { vol, flags })),
    getVolumePath: (vol) => c('STORAGE_VOL_GET_PATH', vol),
    getVolumeInfo: async (vol) => {
      const i = await c('STORAGE_VOL_GET_INFO', vol);
      return { ...i, type: i.type as StorageVolType };
    },
    createVolume: (pool, def, flags) => c('STORAGE_VOL_CREATE_XML', { pool, xml: formatStorageVolXml(def), flags }),
    deleteVolume: (vol, flags) => c('STORAGE_VOL_DELETE', { vol, flags }),
  };
}
