/** Lightweight handles a driver hands back; the object API wraps them in Domain, Network, ... */
export interface DomainRef {
  readonly name: string;
  readonly uuid: string;
  /** Running id, or -1 when inactive. */
  readonly id: number;
}
export interface NetworkRef {
  readonly name: string;
  readonly uuid: string;
}
export interface StoragePoolRef {
  readonly name: string;
  readonly uuid: string;
}
export interface StorageVolRef {
  readonly pool: string;
  readonly name: string;
  readonly key: string;
}
export interface SnapshotRef {
  readonly domain: DomainRef;
  readonly name: string;
}

export type DomainLookup = { readonly name: string } | { readonly uuid: string } | { readonly id: number };
export type NetworkLookup = { readonly name: string } | { readonly uuid: string };
export type StoragePoolLookup =
  | { readonly name: string }
  | { readonly uuid: string }
  | { readonly volume: StorageVolRef };
export type StorageVolLookup =
  | { readonly pool: StoragePoolRef; readonly name: string }
  | { readonly key: string }
  | { readonly path: string };
