export * from './states.js';
export * from './flags.js';
export * from './list-filter.js';
export type * from './refs.js';
export type * from './info.js';
export type * from './events.js';
export {
  DECLINED,
  CONTRACT_VERSION,
  type Declined,
  type OpenOptions,
  type DriverDescriptor,
  type DriverConnection,
  type DomainXmlOptions,
  type EventSource,
  type HypervisorDriver,
  type DomainLifecycle,
  type DomainSnapshots,
  type NetworkDriver,
  type StorageDriver,
} from './driver.js';
