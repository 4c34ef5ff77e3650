import { unsignedFlags } from '@tsvirt/core';
import { UUID_LEN } from '../xdr/limits.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';

/** How one XDR type is written and read. Both sides of the wire use the same codec. */
export interface Codec<T> {
  write(w: XdrWriter, value: T): void;
  read(r: XdrReader): T;
}

/** The empty args or ret of a procedure. */
export const xvoid: Codec<void> = { write() {}, read() {} };
export const xint: Codec<number> = { write: (w, v) => void w.int(v), read: (r) => r.int() };
export const xuint: Codec<number> = { write: (w, v) => void w.uint(v), read: (r) => r.uint() };
/** A flags word (unsigned int): a bit-31 value JavaScript made negative is sent as its unsigned bits. */
export const xflags: Codec<number> = { write: (w, v) => void w.uint(unsignedFlags(v)), read: (r) => r.uint() };
/** unsigned hyper, as a JS number (sizes and versions stay far below 2^53). */
export const xuhyperNumber: Codec<number> = {
  write: (w, v) => void w.uhyper(BigInt(Math.max(0, Math.trunc(v)))),
  read: (r) => Number(r.uhyper()),
};
export const xuhyper: Codec<bigint> = { write: (w, v) => void w.uhyper(v), read: (r) => r.uhyper() };
/** hyper (signed 64-bit), as a bigint. */
export const xhyper: Codec<bigint> = { write: (w, v) => void w.hyper(v), read: (r) => r.hyper() };
/** hyper as a JS number (times in seconds). */
export const xhyperNumber: Codec<number> = {
  write: (w, v) => void w.hyper(BigInt(Math.trunc(v))),
  read: (r) => Number(r.hyper()),
};
/** libvirt's "int used as a boolean" (any non-zero value is true on read). */
export const xintBool: Codec<boolean> = { write: (w, v) => void w.int(v ? 1 : 0), read: (r) => r.int() !== 0 };
/** remote_nonnull_string. */
export const xstring: Codec<string> = { write: (w, v) => void w.string(v), read: (r) => r.string() };
/** remote_string: an optional string. */
export const xoptString: Codec<string | undefined> = {
  write: (w, v) => void w.optional(v, (x, s) => x.string(s)),
  read: (r) => r.optional((x) => x.string()),
};

/** A variable-length array of at most `max` items; `minItemSize` lets a hostile count fail early. */
export function xarray<T>(item: Codec<T>, max: number, minItemSize = 4): Codec<T[]> {
  return {
    write: (w, v) => void w.array(v, max, (x, i) => item.write(x, i)),
    read: (r) => r.array(max, (x) => item.read(x), minItemSize),
  };
}
/** An optional (pointer) value. */
export function xoptional<T>(item: Codec<T>): Codec<T | undefined> {
  return {
    write: (w, v) => void w.optional(v, (x, i) => item.write(x, i)),
    read: (r) => r.optional((x) => item.read(x)),
  };
}

/**
 * `char x<max>` as rpcgen encodes it: a count, then one 4-byte word per character. libvirt uses
 * it for security labels and models, which are C strings (the count includes the NUL).
 */
export function xcharArray(max: number): Codec<string> {
  return {
    write: (w, v) => {
      const bytes = v === '' ? [] : [...new TextEncoder().encode(v), 0];
      w.array(bytes, max, (x, b) => x.int(b));
    },
    read: (r) => {
      const bytes = r.array(max, (x) => x.int() & 0xff);
      const end = bytes.indexOf(0);
      return new TextDecoder().decode(new Uint8Array(end < 0 ? bytes : bytes.slice(0, end)));
    },
  };
}
/** `char x[n]`: exactly n words, NUL-padded. */
export function xcharVector(n: number): Codec<string> {
  return {
    write: (w, v) => {
      const bytes = new TextEncoder().encode(v).slice(0, n - 1);
      for (let i = 0; i < n; i++) w.int(i < bytes.length ? bytes[i]! : 0);
    },
    read: (r) => {
      const bytes = r.fixedArray(n, (x) => x.int() & 0xff);
      const end = bytes.indexOf(0);
      return new TextDecoder().decode(new Uint8Array(end < 0 ? bytes : bytes.slice(0, end)));
    },
  };
}

type CodecFields<T> = { [K in keyof T]: Codec<T[K]> };

/** A struct: its fields in wire order. The field order of `fields` is the order on the wire. */
export function xstruct<T extends object>(fields: CodecFields<T>): Codec<T> {
  const entries = Object.entries(fields) as [keyof T, Codec<unknown>][];
  return {
    write: (w, v) => {
      for (const [k, c] of entries) c.write(w, v[k]);
    },
    read: (r) => {
      const out = {} as Record<keyof T, unknown>;
      for (const [k, c] of entries) out[k] = c.read(r);
      return out as T;
    },
  };
}

/** remote_uuid: 16 raw bytes, shown as the canonical UUID string. */
export function uuidCodec(toBytes: (s: string) => Uint8Array, fromBytes: (b: Uint8Array) => string): Codec<string> {
  return {
    write: (w, v) => void w.fixedOpaque(toBytes(v), UUID_LEN),
    read: (r) => fromBytes(r.fixedOpaque(UUID_LEN)),
  };
}
