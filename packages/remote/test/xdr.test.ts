import { describe, expect, it } from 'vitest';
import { STRING_MAX, XdrReader, XdrWriter } from '../src/index.js';
import { xflags } from '../src/protocol/codec.js';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('XDR writer and reader', () => {
  it('encodes ints, unsigned ints and hypers big-endian', () => {
    const w = new XdrWriter();
    w.int(-2)
      .uint(0xdeadbeef)
      .hyper(-3n)
      .uhyper(2n ** 64n - 1n)
      .bool(true)
      .bool(false);
    const out = w.finish();
    expect(Array.from(out.subarray(0, 8))).toEqual([0xff, 0xff, 0xff, 0xfe, 0xde, 0xad, 0xbe, 0xef]);
    const r = new XdrReader(out);
    expect(r.int()).toBe(-2);
    expect(r.uint()).toBe(0xdeadbeef);
    expect(r.hyper()).toBe(-3n);
    expect(r.uhyper()).toBe(2n ** 64n - 1n);
    expect(r.bool()).toBe(true);
    expect(r.bool()).toBe(false);
    r.done();
  });

  it('sends a flags word with bit 31 set (negative in JavaScript) as its unsigned bits', () => {
    const w = new XdrWriter();
    xflags.write(w, 0x10 | 0x80000000);
    const out = w.finish();
    expect(Array.from(out)).toEqual([0x80, 0x00, 0x00, 0x10]);
    expect(xflags.read(new XdrReader(out))).toBe(0x80000010);
    expect(() => xflags.write(new XdrWriter(), -(2 ** 32))).toThrow(/out of range/);
  });

  it('pads strings and opaque data to four bytes with zeros', () => {
    const w = new XdrWriter();
    w.string('abcde')
      .fixedOpaque(bytes(1, 2, 3), 3)
      .opaque(bytes(9), 10);
    const out = w.finish();
    expect(Array.from(out)).toEqual([0, 0, 0, 5, 97, 98, 99, 100, 101, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 1, 9, 0, 0, 0]);
    const r = new XdrReader(out);
    expect(r.string()).toBe('abcde');
    expect(Array.from(r.fixedOpaque(3))).toEqual([1, 2, 3]);
    expect(Array.from(r.opaque(10))).toEqual([9]);
    r.done();
  });

  it('round-trips UTF-8 strings, arrays and optional data', () => {
    const w = new XdrWriter();
    w.string('grüße ✓')
      .array([1, 2, 3], 5, (x, v) => x.int(v))
      .optional('x', (x, v) => x.string(v));
    w.optional(undefined, (x, v: string) => x.string(v));
    const r = new XdrReader(w.finish());
    expect(r.string()).toBe('grüße ✓');
    expect(r.array(5, (x) => x.int())).toEqual([1, 2, 3]);
    expect(r.optional((x) => x.string())).toBe('x');
    expect(r.optional((x) => x.string())).toBeUndefined();
    r.done();
  });

  it('writes the same bytes whether a string fits the room left or the buffer grows for it', () => {
    // With room for 3 bytes per character the string is encoded straight away; otherwise its
    // exact size is measured and the buffer grown to it. Both must write the same bytes.
    const samples = ['', 'a', 'ab', 'abc', 'abcd', 'grüße ✓', '\u{1F600}x', 'lone \uD800 surrogate', 'x'.repeat(5000)];
    for (const s of samples) {
      const roomy = new XdrWriter(64 * 1024).uint(7).string(s).finish();
      const tight = new XdrWriter(4).uint(7).string(s).finish();
      const expected = Buffer.from(s, 'utf8');
      expect(Array.from(roomy.subarray(8, 8 + expected.length))).toEqual(Array.from(expected));
      expect(roomy.length % 4).toBe(0);
      expect(Array.from(tight)).toEqual(Array.from(roomy));
      const r = new XdrReader(tight);
      expect(r.uint()).toBe(7);
      expect(r.string()).toBe(expected.toString('utf8'));
      r.done();
    }
    // Short enough once encoded, though three bytes a character would not fit the limit.
    expect(new XdrReader(new XdrWriter(16, 16).string('0123456789').finish()).string()).toBe('0123456789');
    // The last bytes of a buffer exactly: length word, two characters, two bytes of padding.
    expect(Array.from(new XdrWriter(8).string('ab').finish())).toEqual([0, 0, 0, 2, 97, 98, 0, 0]);
  });

  it('refuses values out of range and items over their maximum when encoding', () => {
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(/out of range/);
    expect(() => new XdrWriter().uint(-1)).toThrow(/out of range/);
    expect(() => new XdrWriter().int(1.5)).toThrow(/out of range/);
    expect(() => new XdrWriter().uhyper(-1n)).toThrow(/out of range/);
    expect(() => new XdrWriter().string('abc', 2)).toThrow(/exceed maximum 2/);
    expect(() => new XdrWriter().array([1, 2], 1, (x, v) => x.int(v))).toThrow(/exceed maximum 1/);
    expect(() => new XdrWriter().fixedOpaque(bytes(1), 2)).toThrow(/opaque\[2\]/);
    expect(() => new XdrWriter(16, 16).string('0123456789abcdef')).toThrow(/exceed the limit/);
  });

  it('fails cleanly on truncated input', () => {
    expect(() => new XdrReader(bytes(0, 0, 1)).int()).toThrow(/truncated int/);
    expect(() => new XdrReader(bytes(0, 0, 0, 0, 0, 0, 0)).hyper()).toThrow(/truncated hyper/);
    expect(() => new XdrReader(bytes(0, 0, 0, 5, 97, 98)).string()).toThrow(/truncated string/);
    expect(() => new XdrReader(bytes(0, 0, 0, 3, 1, 2, 3)).opaque(8)).toThrow(/truncated/);
    // The pointer says "present" but nothing follows.
    expect(() => new XdrReader(bytes(0, 0, 0, 1)).optional((r) => r.int())).toThrow(/truncated/);
  });

  it('rejects malformed values', () => {
    expect(() => new XdrReader(bytes(0, 0, 0, 2)).bool()).toThrow(/bad boolean/);
    expect(() => new XdrReader(bytes(0, 0, 0, 7)).enumValue([0, 1], 'status')).toThrow(/bad status value 7/);
    const r = new XdrReader(bytes(0, 0, 0, 1, 0));
    r.int();
    expect(() => r.done()).toThrow(/1 unexpected trailing bytes/);
  });

  it('enforces string and array limits before allocating', () => {
    const huge = new XdrWriter().uint(STRING_MAX + 1).finish();
    expect(() => new XdrReader(huge).string()).toThrow(/string length 4194305 exceeds maximum 4194304/);
    const over = new XdrWriter().uint(21).finish();
    expect(() => new XdrReader(over).array(20, (r) => r.int())).toThrow(/array length 21 exceeds maximum 20/);
    // A count within the limit but larger than the bytes that follow fails at once.
    const short = new XdrWriter().uint(1000).int(1).finish();
    expect(() => new XdrReader(short).array(16384, (r) => r.int())).toThrow(/truncated array of 1000 items/);
    const bigOpaque = new XdrWriter().uint(0xffffffff).finish();
    expect(() => new XdrReader(bigOpaque).opaque(65536)).toThrow(/exceeds maximum 65536/);
  });

  it('reports errors as VirError VIR_ERR_RPC from VIR_FROM_RPC', () => {
    try {
      new XdrReader(bytes()).int();
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ name: 'VirError', code: 39, domain: 7 });
    }
  });
});
