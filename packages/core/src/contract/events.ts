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
  | {
      readonly kind: 'domain-metadata-change';
      readonly domain: DomainRef;
      /** DomainMetadataType value. */
      readonly type: number;
      /** The element's namespace URI (undefined for the title and the description). */
      readonly nsuri?: string;
    }
  | { readonly kind: 'pool-lifecycle'; readonly pool: StoragePoolRef; readonly event: number; readonly detail: number };
