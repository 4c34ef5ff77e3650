import type { DomainRef } from '@tsvirt/core';
import { xdrError } from '../xdr/errors.js';
import { UUID_LEN } from '../xdr/limits.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';

/** remote_nonnull_domain: name, 16-byte UUID, id (-1 when inactive). */
export interface RemoteDomain {
  name: string;
  uuid: string;
  id: number;
}
/** remote_nonnull_network. */
export interface RemoteNetwork {
  name: string;
  uuid: string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidFromBytes(b: Uint8Array): string {
  const h = Array.from(b, (x) => HEX[x]).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw xdrError(`Unable to encode UUID '${uuid}'`);
  const out = new Uint8Array(UUID_LEN);
  for (let i = 0; i < UUID_LEN; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function readRemoteDomain(r: XdrReader): RemoteDomain {
  const name = r.string();
  const uuid = uuidFromBytes(r.fixedOpaque(UUID_LEN));
  const id = r.int();
  return { name, uuid, id };
}
export function writeRemoteDomain(w: XdrWriter, d: DomainRef): void {
  w.string(d.name).fixedOpaque(uuidToBytes(d.uuid), UUID_LEN).int(d.id);
}
export function readRemoteNetwork(r: XdrReader): RemoteNetwork {
  const name = r.string();
  const uuid = uuidFromBytes(r.fixedOpaque(UUID_LEN));
  return { name, uuid };
}
/** Smallest encoded remote_nonnull_domain: empty name (4) + UUID (16) + id (4). */
export const REMOTE_DOMAIN_MIN_SIZE = 24;
