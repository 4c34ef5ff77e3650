import { xdrError } from './errors.js';
import { MESSAGE_MAX, STRING_MAX } from './limits.js';
import { xdrPad } from './reader.js';

const utf8 = new TextEncoder();
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const UINT_MAX = 2 ** 32 - 1;

/**
 * Writes XDR (RFC 4506) values into a growing buffer. Values out of range and items over their
 * declared maximum are refused with a VirError, as is a total over libvirt's message size.
 */
export class XdrWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos: number;

  /**
   * `initial` is a size, or the storage to start with (e.g. a slice of Node's Buffer pool, which
   * is cheaper than a fresh zeroed buffer for every message). `reserved` bytes at the start stay
   * outside the data and its limit: room for a packet's length word and header, filled in by
   * finishWithPrefix, so that a whole frame is built in one buffer.
   */
  constructor(
    initial: number | Uint8Array = 256,
    private readonly limit: number = MESSAGE_MAX,
    private readonly reserved = 0,
  ) {
    if (typeof initial === 'number') this.buf = new Uint8Array(Math.max(initial, reserved));
    else this.buf = initial.byteLength >= reserved ? initial : new Uint8Array(reserved);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = reserved;
  }

  /** Bytes of data written (the reserved prefix not counted). */
  get length(): number {
    return this.pos - this.reserved;
  }

  private ensure(n: number): void {
    const want = this.pos + n;
    if (want - this.reserved > this.limit)
      throw xdrError(
        `Unable to encode message payload: ${want - this.reserved} bytes exceed the limit of ${this.limit}`,
      );
    if (want <= this.buf.byteLength) return;
    let size = Math.max(this.buf.byteLength * 2, 64);
    while (size < want) size *= 2;
    // Not zero-filled: every byte up to pos is written before it is read (padding included).
    const next = Buffer.allocUnsafe(Math.min(size, this.limit + this.reserved));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  int(v: number): this {
    if (!Number.isInteger(v) || v < INT_MIN || v > INT_MAX) throw xdrError(`Unable to encode int: ${v} out of range`);
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }
  uint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > UINT_MAX)
      throw xdrError(`Unable to encode unsigned int: ${v} out of range`);
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }
  hyper(v: bigint): this {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw xdrError(`Unable to encode hyper: ${v} out of range`);
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
    return this;
  }
  uhyper(v: bigint): this {
    if (v < 0n || v >= 2n ** 64n) throw xdrError(`Unable to encode unsigned hyper: ${v} out of range`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
    return this;
  }
  double(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
    return this;
  }
  bool(v: boolean): this {
    return this.int(v ? 1 : 0);
  }

  private bytes(data: Uint8Array): void {
    const pad = xdrPad(data.byteLength);
    this.ensure(data.byteLength + pad);
    this.buf.set(data, this.pos);
    this.pos += data.byteLength;
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
  }

  /** Fixed-length opaque data: exactly `n` bytes. */
  fixedOpaque(data: Uint8Array, n: number): this {
    if (data.byteLength !== n) throw xdrError(`Unable to encode opaque[${n}]: got ${data.byteLength} bytes`);
    this.bytes(data);
    return this;
  }
  /** Variable-length opaque data of at most `max` bytes. */
  opaque(data: Uint8Array, max: number): this {
    if (data.byteLength > max)
      throw xdrError(`Unable to encode opaque: ${data.byteLength} bytes exceed maximum ${max}`);
    this.uint(data.byteLength);
    this.bytes(data);
    return this;
  }
  /** A string of at most `max` bytes once UTF-8 encoded. */
  string(s: string, max: number = STRING_MAX): this {
    // Encoded in place after the length word, never through a temporary copy (replies carry whole
    // documents). When the worst case (3 bytes per UTF-16 unit) does not fit the room left, the
    // exact size is measured first, so the buffer grows only as much as the string needs.
    const room = Math.min(this.buf.byteLength, this.limit + this.reserved) - this.pos - 4;
    const worst = s.length * 3;
    const bytes = worst <= max && worst + 3 <= room ? -1 : Buffer.byteLength(s, 'utf8');
    if (bytes > max) throw xdrError(`Unable to encode string: ${bytes} bytes exceed maximum ${max}`);
    if (bytes >= 0) this.ensure(4 + bytes + xdrPad(bytes));
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.pos + 4));
    this.view.setUint32(this.pos, written);
    this.pos += 4 + written;
    const pad = xdrPad(written);
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
    return this;
  }
  /** A variable-length array of at most `max` items. */
  array<T>(items: readonly T[], max: number, item: (w: XdrWriter, v: T) => void): this {
    if (items.length > max) throw xdrError(`Unable to encode array: ${items.length} items exceed maximum ${max}`);
    this.uint(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  /** Optional data (an XDR pointer): false, or true followed by the value. */
  optional<T>(value: T | undefined | null, item: (w: XdrWriter, v: T) => void): this {
    if (value === undefined || value === null) return this.bool(false);
    this.bool(true);
    item(this, value);
    return this;
  }

  /** The bytes written so far (a copy; the reserved prefix left out). */
  finish(): Uint8Array {
    // Copied into a plain Uint8Array: a Buffer's slice() would be a view.
    return new Uint8Array(this.buf.subarray(this.reserved, this.pos));
  }

  /**
   * Fill the reserved prefix with these unsigned 32-bit words and return prefix and data together,
   * without copying (the writer must not be used afterwards).
   */
  finishWithPrefix(words: readonly number[]): Uint8Array {
    if (words.length * 4 !== this.reserved)
      throw xdrError(`prefix of ${words.length} words for ${this.reserved} bytes`);
    for (let i = 0; i < words.length; i++) this.view.setUint32(i * 4, words[i]! >>> 0);
    return this.buf.subarray(0, this.pos);
  }
}
