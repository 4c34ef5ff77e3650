export { DomainCheckpoint } from './checkpoint.js';
export { type ConnectOptions, connect } from './connect.js';
export { Connection, LIBVIRT_API_VERSION } from './connection.js';
export { cpuModelsOf } from './cpu-models.js';
export { cpumapLength, cpumapOf, cpusOfCpumap, formatCpuList, parseCpuList } from './cpumap.js';
export { Domain } from './domain.js';
export type {
  ConnectionEventName,
  ConnectionEvents,
  DomainLifecycleEvent,
  DomainMetadataChangeEvent,
  NetworkLifecycleEvent,
  StoragePoolLifecycleEvent,
} from './events.js';
export { KNOWN_FEATURES, supportsFeature } from './features.js';
export { Interface } from './interface.js';
export { Network, NetworkXmlFlags } from './network.js';
export { NetworkPort, NetworkPortCreateFlags } from './network-port.js';
export { DomainSnapshot } from './snapshot.js';
export { StoragePool } from './storage-pool.js';
export { StorageVol } from './storage-vol.js';
export { normalizeUuid } from './uuid.js';
