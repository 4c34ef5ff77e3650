import { xdrError } from './errors.js';
import { STRING_MAX } from './limits.js';

const utf8 = new TextDecoder('utf-8');

/** Bytes of padding after `n` bytes of opaque data, to the next multiple of four. */
export function xdrPad(n: number): number {
  return (4 - (n % 4)) % 4;
}

/**
 * Reads XDR (RFC 4506) values from one buffer. Every read checks the bytes left first, and every
 * variable-length item its declared maximum, so truncated or hostile input fails with a VirError
 * (VIR_ERR_RPC) and never allocates more than the input holds.
 */
export class XdrReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.byteLength - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) {
      throw xdrError(`Unable to decode message payload: truncated ${what} (need ${n} bytes, ${this.remaining} left)`);
    }
  }

  int(): number {
    this.need(4, 'int');
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  uint(): number {
    this.need(4, 'unsigned int');
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  hyper(): bigint {
    this.need(8, 'hyper');
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  uhyper(): bigint {
    this.need(8, 'unsigned hyper');
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }
  /** XDR double: an IEEE 754 binary64, big-endian. */
  double(): number {
    this.need(8, 'double');
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }
  /** XDR bool: exactly 0 or 1. */
  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw xdrError(`Unable to decode message payload: bad boolean value ${v}`);
    return v === 1;
  }
  /** An enum value that must be one of `allowed`. */
  enumValue<T extends number>(allowed: readonly T[], what: string): T {
    const v = this.int();
    if (!allowed.includes(v as T)) throw xdrError(`Unable to decode message payload: bad ${what} value ${v}`);
    return v as T;
  }

  /** Fixed-length opaque data (padded to four bytes). */
  fixedOpaque(n: number): Uint8Array {
    const padded = n + xdrPad(n);
    this.need(padded, `opaque[${n}]`);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += padded;
    return out;
  }
  /** Variable-length opaque data with at most `max` bytes. */
  opaque(max: number): Uint8Array {
    const n = this.uint();
    if (n > max) throw xdrError(`Unable to decode message payload: opaque length ${n} exceeds maximum ${max}`);
    return this.fixedOpaque(n);
  }
  /** A string of at most `max` bytes (default: libvirt's 4 MiB string limit). */
  string(max: number = STRING_MAX): string {
    const n = this.uint();
    if (n > max) throw xdrError(`Unable to decode message payload: string length ${n} exceeds maximum ${max}`);
    const padded = n + xdrPad(n);
    this.need(padded, `string of ${n} bytes`);
    const s = utf8.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += padded;
    return s;
  }
  /**
   * A variable-length array of at most `max` items. `minItemSize` (bytes each item takes at least)
   * lets a count larger than the remaining input fail before anything is read.
   */
  array<T>(max: number, item: (r: XdrReader) => T, minItemSize = 4): T[] {
    const n = this.uint();
    if (n > max) throw xdrError(`Unable to decode message payload: array length ${n} exceeds maximum ${max}`);
    if (n * minItemSize > this.remaining) {
      throw xdrError(`Unable to decode message payload: truncated array of ${n} items (${this.remaining} bytes left)`);
    }
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  /** A fixed-length array of `n` items. */
  fixedArray<T>(n: number, item: (r: XdrReader) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  /** Optional data (an XDR pointer): a bool, then the value when true. */
  optional<T>(item: (r: XdrReader) => T): T | undefined {
    return this.bool() ? item(this) : undefined;
  }

  /** Fails when bytes are left over: a payload must be consumed exactly. */
  done(): void {
    if (this.remaining !== 0) {
      throw xdrError(`Unable to decode message payload: ${this.remaining} unexpected trailing bytes`);
    }
  }
}
