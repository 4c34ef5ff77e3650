import type { DomainRef, NetworkRef, StoragePoolRef } from './refs.js';

/** Events a driver emits; core delivers them to subscribers in the order emitted. */
export type DriverEvent =
  | { readonly kind: 'domain-lifecycle'; readonly domain: DomainRef; readonly event: number; readonly detail: number }
  | {
      readonly kind: 'network-lifecycle';
      readonly network: NetworkRef;
      readonly event: number;
      readonly detail: number;
    }
  | { readonly kind: 'pool-lifecycle'; readonly pool: StoragePoolRef; readonly event: number; readonly detail: number };
