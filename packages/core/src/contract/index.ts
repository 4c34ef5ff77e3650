export * from './checkpoint-flags.js';
export * from './checkpoints.js';
export * from './cpu-tuning.js';
export * from './define-rules.js';
export {
  CONTRACT_VERSION,
  type ConsoleStream,
  DECLINED,
  type Declined,
  type DomainCapabilitiesQuery,
  type DomainConsole,
  type DomainHotplug,
  type DomainLifecycle,
  type DomainMonitorPassthrough,
  type DomainSaveRestore,
  type DomainSnapshots,
  type DomainStats,
  type DomainXmlOptions,
  type DriverConnection,
  type DriverDescriptor,
  type EventSource,
  type HypervisorDriver,
  type NetworkDriver,
  type NetworkPortAllocation,
  type NetworkPortRequest,
  type OpenOptions,
  type StorageDriver,
  type VolumeRange,
} from './driver.js';
export type * from './events.js';
export * from './flags.js';
export * from './host-stats.js';
export type * from './info.js';
export * from './interfaces.js';
export * from './iothreads.js';
export * from './list-filter.js';
export * from './moment-tree.js';
export type * from './refs.js';
export * from './snapshot-select.js';
export * from './states.js';
export * from './stream-chunk.js';
export * from './tuning.js';
export * from './typed-parameter.js';
