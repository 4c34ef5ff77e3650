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

// Both conversions run for every domain in every reply: plain loops, no regex or temporary arrays.
export function uuidFromBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i]!];
  }
  return s;
}

/** The value of one hex digit's char code, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** 32 hex digits, with dashes anywhere (they are skipped), to the 16 bytes of a UUID. */
export function uuidToBytes(uuid: string): Uint8Array {
  const out = new Uint8Array(UUID_LEN);
  let digits = 0;
  for (let i = 0; i < uuid.length; i++) {
    const c = uuid.charCodeAt(i);
    if (c === 45) continue; // '-'
    const v = hexValue(c);
    if (v < 0 || digits >= 32) throw xdrError(`Unable to encode UUID '${uuid}'`);
    out[digits >> 1] = digits & 1 ? out[digits >> 1]! | v : v << 4;
    digits++;
  }
  if (digits !== 32) throw xdrError(`Unable to encode UUID '${uuid}'`);
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
