import { ErrorCode, ErrorDomain, isVirError, VirError } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  encodePacket,
  encodePing,
  encodePong,
  FrameSplitter,
  finishPacket,
  isKeepalive,
  KEEPALIVE_PROGRAM,
  MESSAGE_MAX,
  MessageStatus,
  MessageType,
  PacketFramer,
  type PacketHeader,
  packetWriter,
  REMOTE_PROGRAM,
  readRemoteDomain,
  readRemoteError,
  remoteErrorToVirError,
  uuidFromBytes,
  uuidToBytes,
  virErrorToRemoteError,
  writeRemoteDomain,
  writeRemoteError,
  XdrReader,
  XdrWriter,
} from '../src/index.js';

const header: PacketHeader = {
  prog: REMOTE_PROGRAM,
  vers: 1,
  proc: 23,
  type: MessageType.CALL,
  serial: 7,
  status: MessageStatus.OK,
};

function lengthWord(n: number): Uint8Array {
  return new XdrWriter().uint(n).finish();
}

describe('packet framing', () => {
  it('frames length (counting itself), header and payload', () => {
    const frame = encodePacket(header, new Uint8Array([1, 2, 3, 4]));
    expect(frame.byteLength).toBe(4 + 24 + 4);
    expect(Array.from(frame.subarray(0, 8))).toEqual([0, 0, 0, 32, 0x20, 0x00, 0x80, 0x86]);
    const p = decodePacket(frame);
    expect(p.header).toEqual(header);
    expect(Array.from(p.payload)).toEqual([1, 2, 3, 4]);
  });

  it('reassembles packets split across and joined within chunks', () => {
    const a = encodePacket(header, new Uint8Array([9, 9, 9, 9]));
    const b = encodePacket({ ...header, serial: 8, type: MessageType.REPLY });
    const all = new Uint8Array([...a, ...b]);
    const f = new PacketFramer();
    const got = [];
    for (let i = 0; i < all.length; i += 3) got.push(...f.push(all.subarray(i, i + 3)));
    expect(got.map((p) => p.header.serial)).toEqual([7, 8]);
    expect(f.pending).toBe(0);
    expect(new PacketFramer().push(all).length).toBe(2);
  });

  it('keeps a truncated frame pending instead of decoding it', () => {
    const frame = encodePacket(header, new Uint8Array(8));
    const f = new PacketFramer();
    expect(f.push(frame.subarray(0, frame.length - 1))).toEqual([]);
    expect(f.pending).toBe(frame.length - 1);
    expect(() => decodePacket(frame.subarray(0, frame.length - 1))).toThrow(/length word says 36 bytes, frame has 35/);
  });

  it('rejects a length over 32 MiB from the length word alone', () => {
    const f = new PacketFramer();
    expect(() => f.push(lengthWord(MESSAGE_MAX + 5))).toThrow(/too large/);
    // Exactly the maximum is accepted (and waits for the data).
    expect(new PacketFramer().push(lengthWord(MESSAGE_MAX + 4))).toEqual([]);
    expect(() => new PacketFramer().push(lengthWord(0xffffffff))).toThrow(/too large/);
  });

  it('rejects a length too small for a header', () => {
    expect(() => new PacketFramer().push(lengthWord(27))).toThrow(/too small/);
    expect(() => new PacketFramer().push(lengthWord(0))).toThrow(/too small/);
  });

  it('rejects bad message types and statuses', () => {
    const bad = encodePacket(header);
    new DataView(bad.buffer).setInt32(16, 9); // type
    expect(() => decodePacket(bad)).toThrow(/bad message type value 9/);
    const bad2 = encodePacket(header);
    new DataView(bad2.buffer).setInt32(24, 3); // status
    expect(() => decodePacket(bad2)).toThrow(/bad message status value 3/);
  });

  it('refuses to build a packet over the limit', () => {
    expect(() => encodePacket(header, new Uint8Array(MESSAGE_MAX))).toThrow(/exceeds the maximum/);
  });

  it('a packet written in place (packetWriter, finishPacket) has the same bytes as encodePacket', () => {
    const payload = (w: XdrWriter) => w.string('a domain name').int(-5).uint(0xffffffff).opaque(new Uint8Array(3), 8);
    const replyHeader = { ...header, proc: -1, type: MessageType.REPLY, serial: 0xfffffffe };
    for (const initial of [1, 2048]) {
      const w = packetWriter(initial);
      payload(w);
      expect(w.length).toBe(payload(new XdrWriter()).length);
      expect(Array.from(finishPacket(replyHeader, w))).toEqual(
        Array.from(encodePacket(replyHeader, payload(new XdrWriter()).finish())),
      );
    }
    expect(Array.from(finishPacket(header, packetWriter()))).toEqual(Array.from(encodePacket(header)));
  });

  it('a writer on given storage (a Buffer at an offset) writes in place and finish() still copies', () => {
    const storage = Buffer.alloc(64, 0xff).subarray(8);
    const w = new XdrWriter(storage, 1024);
    w.uint(7).string('ab');
    const out = w.finish();
    expect(Array.from(out)).toEqual([0, 0, 0, 7, 0, 0, 0, 2, 97, 98, 0, 0]);
    expect(Array.from(storage.subarray(0, 4))).toEqual([0, 0, 0, 7]);
    storage.fill(0);
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 0, 0, 7]);
    // Growing past the storage moves to a buffer of its own.
    const small = new XdrWriter(Buffer.alloc(4), 1024);
    small.uint(1).uint(2).uint(3);
    expect(Array.from(small.finish())).toEqual([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  it('a packet written in place keeps the limits and their messages', () => {
    // The payload limit counts the payload only, as for a plain writer...
    const big = new Uint8Array(MESSAGE_MAX);
    const w = packetWriter();
    expect(() => w.fixedOpaque(new Uint8Array(MESSAGE_MAX + 4), MESSAGE_MAX + 4)).toThrow(
      `${MESSAGE_MAX + 4} bytes exceed the limit of ${MESSAGE_MAX}`,
    );
    // ...and a payload that fits the writer but not a packet fails as encodePacket does.
    const full = packetWriter();
    full.fixedOpaque(big, MESSAGE_MAX);
    expect(() => finishPacket(header, full)).toThrow(`packet of ${MESSAGE_MAX + 24} bytes exceeds the maximum`);
  });

  it('hands a chunk holding exactly one frame over as is, and copies a frame cut from the front of a larger chunk', () => {
    const a = encodePacket(header, new Uint8Array([1, 2, 3, 4]));
    const one = new FrameSplitter().push(a);
    expect(one).toHaveLength(1);
    expect(one[0]).toBe(a);
    const both = new Uint8Array([...a, ...a]);
    const two = new FrameSplitter().push(both);
    expect(two.map((f) => Array.from(f))).toEqual([Array.from(a), Array.from(a)]);
    both.fill(0);
    expect(Array.from(two[0]!)).toEqual(Array.from(a));
  });
});

describe('remote_error', () => {
  it('decodes into a VirError with the code, domain and message as sent', () => {
    const w = new XdrWriter();
    writeRemoteError(w, {
      code: ErrorCode.NO_DOMAIN,
      domain: ErrorDomain.TEST,
      message: "Domain not found: no domain with matching name 'x'",
      level: 2,
      str1: 'Domain not found: %s',
      int1: -1,
      int2: -1,
    });
    const r = new XdrReader(w.finish());
    const err = remoteErrorToVirError(readRemoteError(r));
    r.done();
    expect(isVirError(err)).toBe(true);
    expect(err).toMatchObject({ code: 42, domain: 12, level: 2, str1: 'Domain not found: %s', int1: -1 });
    expect(err.message).toBe("Domain not found: no domain with matching name 'x'");
    expect(err.codeName).toBe('NO_DOMAIN');
  });

  it("words an error without a message with libvirt's text for its code", () => {
    const w = new XdrWriter();
    writeRemoteError(w, { code: ErrorCode.NO_SUPPORT, domain: ErrorDomain.REMOTE, level: 2, int1: 0, int2: 0 });
    const err = remoteErrorToVirError(readRemoteError(new XdrReader(w.finish())));
    expect(err.message).toBe('this function is not supported by the connection driver');
  });

  it('round-trips a VirError', () => {
    const orig = new VirError({ code: ErrorCode.OPERATION_INVALID, domain: ErrorDomain.DOMAIN, detail: 'not running' });
    const w = new XdrWriter();
    writeRemoteError(w, virErrorToRemoteError(orig));
    const back = remoteErrorToVirError(readRemoteError(new XdrReader(w.finish())));
    expect(back).toMatchObject({ code: orig.code, domain: orig.domain, message: orig.message });
  });

  it('fails cleanly on a truncated error', () => {
    const w = new XdrWriter();
    writeRemoteError(w, { code: 1, domain: 7, message: 'x', level: 2, int1: 0, int2: 0 });
    const full = w.finish();
    for (const n of [0, 3, 8, 12, full.length - 1]) {
      expect(() => readRemoteError(new XdrReader(full.subarray(0, n)))).toThrow(/truncated/);
    }
  });
});

describe('remote_nonnull_domain and UUIDs', () => {
  it('converts UUIDs between text and 16 bytes', () => {
    const uuid = '6695eb01-f6a4-8304-79aa-97f2502e193f';
    expect(uuidFromBytes(uuidToBytes(uuid))).toBe(uuid);
    expect(() => uuidToBytes('nope')).toThrow(/UUID/);
    // Upper case and dashes anywhere are accepted; one digit too few or too many, or a non-digit, are not.
    expect(Array.from(uuidToBytes('6695EB01F6A4830479AA97F2502E193F'))).toEqual(Array.from(uuidToBytes(uuid)));
    expect(Array.from(uuidToBytes('-6695eb01f6a4-830479aa97f2502e193f-'))).toEqual(Array.from(uuidToBytes(uuid)));
    expect(() => uuidToBytes(uuid.slice(1))).toThrow(/UUID/);
    expect(() => uuidToBytes(`${uuid}0`)).toThrow(/UUID/);
    expect(() => uuidToBytes(uuid.replace('e', 'g'))).toThrow(/UUID/);
    for (let i = 0; i < 50; i++) {
      const bytes = Uint8Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
      const hex = Buffer.from(bytes).toString('hex');
      const text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      expect(uuidFromBytes(bytes)).toBe(text);
      expect(Array.from(uuidToBytes(text))).toEqual(Array.from(bytes));
    }
  });
  it('round-trips a domain', () => {
    const d = { name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: -1 };
    const w = new XdrWriter();
    writeRemoteDomain(w, d);
    expect(w.length).toBe(4 + 4 + 16 + 4);
    expect(readRemoteDomain(new XdrReader(w.finish()))).toEqual(d);
  });
});

describe('keepalive program', () => {
  it('builds PING and PONG as MESSAGE packets with serial 0 and no payload', () => {
    const ping = decodePacket(encodePing());
    expect(ping.header).toEqual({
      prog: KEEPALIVE_PROGRAM,
      vers: 1,
      proc: 1,
      type: MessageType.MESSAGE,
      serial: 0,
      status: MessageStatus.OK,
    });
    expect(ping.payload.byteLength).toBe(0);
    expect(isKeepalive(ping.header)).toBe(true);
    expect(decodePacket(encodePong()).header.proc).toBe(2);
    expect(isKeepalive(header)).toBe(false);
    expect(KEEPALIVE_PROGRAM).toBe(0x6b656570);
  });
});
