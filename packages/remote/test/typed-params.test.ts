import { ErrorCode, ErrorDomain } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import {
  Procedures,
  stripStrings,
  type TypedParam,
  typedParamBigint,
  XdrReader,
  XdrWriter,
  xtypedParam,
} from '../src/index.js';

const encode = (p: TypedParam) => {
  const w = new XdrWriter();
  xtypedParam.write(w, p);
  return w.finish();
};

describe('remote_typed_param', () => {
  const all: TypedParam[] = [
    { field: 'i', type: 'int', value: -7 },
    { field: 'u', type: 'uint', value: 0xfffffffe },
    { field: 'l', type: 'llong', value: -(2n ** 62n) },
    { field: 'ul', type: 'ullong', value: 2n ** 64n - 1n },
    { field: 'd', type: 'double', value: 0.1 },
    { field: 'b', type: 'boolean', value: true },
    { field: 's', type: 'string', value: 'héllo' },
  ];

  it('round-trips all seven value types with their discriminants 1..7', () => {
    for (const [i, p] of all.entries()) {
      const bytes = encode(p);
      // field "x" padded to 8 bytes, then the discriminant.
      const discriminant = new DataView(bytes.buffer, bytes.byteOffset).getInt32(4 + 4 * Math.ceil(p.field.length / 4));
      expect(discriminant).toBe(i + 1);
      const r = new XdrReader(bytes);
      expect(xtypedParam.read(r)).toEqual(p);
      r.done();
    }
  });

  it('encodes a double as big-endian IEEE 754 binary64', () => {
    const bytes = encode({ field: 'd', type: 'double', value: 1 });
    expect(Array.from(bytes.subarray(12))).toEqual([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses an unknown discriminant and a field name of 80 bytes or more with VIR_ERR_RPC', () => {
    const unknown = new XdrWriter().string('x').int(8).int(0).finish();
    expect(() => xtypedParam.read(new XdrReader(unknown))).toThrow(
      expect.objectContaining({ code: ErrorCode.RPC, domain: ErrorDomain.RPC }),
    );
    const long = new XdrWriter().string('f'.repeat(80)).int(1).int(0).finish();
    expect(() => xtypedParam.read(new XdrReader(long))).toThrow(/too big for destination/);
    expect(() => encode({ field: 'f'.repeat(80), type: 'int', value: 1 })).toThrow(/too big for destination/);
    const ok = new XdrWriter().string('f'.repeat(79)).int(1).int(5).finish();
    expect(xtypedParam.read(new XdrReader(ok))).toEqual({ field: 'f'.repeat(79), type: 'int', value: 5 });
  });

  it('DOMAIN_BLOCK_STATS_FLAGS refuses more than 16 parameters before reading them', () => {
    const over = new XdrWriter().uint(17).finish();
    expect(() => Procedures.DOMAIN_BLOCK_STATS_FLAGS.ret.read(new XdrReader(over))).toThrow(
      /array length 17 exceeds maximum 16/,
    );
    const params = Array.from({ length: 17 }, (_, i): TypedParam => ({ field: `f${i}`, type: 'int', value: i }));
    expect(() => Procedures.DOMAIN_BLOCK_STATS_FLAGS.ret.write(new XdrWriter(), { params, nparams: 17 })).toThrow();
  });

  it('turns numbers into bigints and strips strings for callers without VIR_TYPED_PARAM_STRING_OKAY', () => {
    expect(all.filter((p) => p.type !== 'string').map(typedParamBigint)).toEqual([
      -7n,
      0xfffffffen,
      -(2n ** 62n),
      2n ** 64n - 1n,
      0n,
      1n,
    ]);
    expect(() => typedParamBigint(all[6]!)).toThrow(/is a string/);
    expect(stripStrings(all, 0).map((p) => p.type)).not.toContain('string');
    expect(stripStrings(all, 4)).toHaveLength(7);
  });
});

describe('remote_network_dhcp_lease', () => {
  it('round-trips a lease with and without its optional strings', () => {
    const def = Procedures.NETWORK_GET_DHCP_LEASES.ret;
    const value = {
      leases: [
        {
          iface: 'virbr0',
          expiryTime: 1_800_000_000,
          type: 0,
          mac: '52:54:00:00:00:01',
          iaid: undefined,
          ipAddress: '192.168.122.45',
          prefix: 24,
          hostname: 'g1',
          clientId: '01:52:54:00:00:00:01',
        },
        {
          iface: 'virbr0',
          expiryTime: 0,
          type: 1,
          mac: undefined,
          iaid: '1234',
          ipAddress: 'fd00::5',
          prefix: 64,
          hostname: undefined,
          clientId: undefined,
        },
      ],
      ret: 2,
    };
    const w = new XdrWriter();
    def.write(w, value);
    const r = new XdrReader(w.finish());
    expect(def.read(r)).toEqual(value);
    r.done();
  });
});
