import type { DriverEvent } from '../contract/events.js';
import type { Domain } from './domain.js';
import type { Network } from './network.js';
import type { StoragePool } from './storage-pool.js';

/** Typed events as the public API delivers them: handles instead of driver refs. */
export interface DomainLifecycleEvent {
  readonly domain: Domain;
  /** DomainEventType value. */
  readonly event: number;
  /** Detail value from DomainEventDetail[type]. */
  readonly detail: number;
}
/** VIR_DOMAIN_EVENT_ID_METADATA_CHANGE. */
export interface DomainMetadataChangeEvent {
  readonly domain: Domain;
  /** DomainMetadataType value. */
  readonly type: number;
  readonly nsuri?: string;
}
export interface NetworkLifecycleEvent {
  readonly network: Network;
  readonly event: number;
  readonly detail: number;
}
export interface StoragePoolLifecycleEvent {
  readonly pool: StoragePool;
  readonly event: number;
  readonly detail: number;
}

export interface ConnectionEvents {
  'domain-lifecycle': DomainLifecycleEvent;
  'domain-metadata-change': DomainMetadataChangeEvent;
  'network-lifecycle': NetworkLifecycleEvent;
  'pool-lifecycle': StoragePoolLifecycleEvent;
}
export type ConnectionEventName = keyof ConnectionEvents;

export type RawEventOf<K extends ConnectionEventName> = Extract<DriverEvent, { kind: K }>;
