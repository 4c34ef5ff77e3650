import type { DomainRef, NetworkRef, SnapshotRef, StoragePoolRef, StorageVolRef } from '@tsvirt/core';
import { uuidFromBytes, uuidToBytes } from '../rpc/remote-types.js';
import { type Codec, uuidCodec, xint, xstring, xstruct } from './codec.js';

/** remote_uuid. */
export const xuuid: Codec<string> = uuidCodec(uuidToBytes, uuidFromBytes);

/** remote_nonnull_domain: name, UUID, id (-1 when inactive). */
export const xdomain: Codec<DomainRef> = xstruct<DomainRef>({ name: xstring, uuid: xuuid, id: xint });
/** remote_nonnull_network. */
export const xnetwork: Codec<NetworkRef> = xstruct<NetworkRef>({ name: xstring, uuid: xuuid });
/** remote_nonnull_storage_pool. */
export const xpool: Codec<StoragePoolRef> = xstruct<StoragePoolRef>({ name: xstring, uuid: xuuid });
/** remote_nonnull_storage_vol: pool name, volume name, key. */
export const xvol: Codec<StorageVolRef> = xstruct<StorageVolRef>({ pool: xstring, name: xstring, key: xstring });
/** remote_nonnull_domain_snapshot: its name, then its domain. */
export const xsnapshot: Codec<SnapshotRef> = {
  write: (w, v) => {
    w.string(v.name);
    xdomain.write(w, v.domain);
  },
  read: (r) => {
    const name = r.string();
    return { name, domain: xdomain.read(r) };
  },
};

/** remote_nonnull_network_port: its network, then its UUID. */
export interface NetworkPortHandle {
  readonly net: NetworkRef;
  readonly uuid: string;
}
export const xnetworkPort: Codec<NetworkPortHandle> = xstruct<NetworkPortHandle>({ net: xnetwork, uuid: xuuid });

/** Smallest encodings, so that a hostile array count fails before anything is read. */
export const MIN_SIZE = { domain: 24, network: 20, pool: 20, vol: 12, snapshot: 28, networkPort: 36 } as const;
