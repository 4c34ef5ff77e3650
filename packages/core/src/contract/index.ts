export {
  CONTRACT_VERSION,
  DECLINED,
  type Declined,
  type DomainLifecycle,
  type DomainSnapshots,
  type DomainXmlOptions,
  type DriverConnection,
  type DriverDescriptor,
  type EventSource,
  type HypervisorDriver,
  type NetworkDriver,
  type OpenOptions,
  type StorageDriver,
} from './driver.js';
export type * from './events.js';
export * from './flags.js';
export type * from './info.js';
export * from './list-filter.js';
export type * from './refs.js';
export * from './states.js';
