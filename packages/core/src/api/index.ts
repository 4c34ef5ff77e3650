export { connect, type ConnectOptions } from './connect.js';
export { Connection, LIBVIRT_API_VERSION } from './connection.js';
export { Domain } from './domain.js';
export { DomainSnapshot } from './snapshot.js';
export { Network, NetworkXmlFlags } from './network.js';
export { StoragePool } from './storage-pool.js';
export { StorageVol } from './storage-vol.js';
export { supportsFeature, KNOWN_FEATURES } from './features.js';
export { normalizeUuid } from './uuid.js';
export type {
  ConnectionEvents,
  ConnectionEventName,
  DomainLifecycleEvent,
  NetworkLifecycleEvent,
  StoragePoolLifecycleEvent,
} from './events.js';
