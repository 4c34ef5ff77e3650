import { ErrorCode, ErrorDomain, isStreamHole, streamHole, VirError } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  decodeStreamHole,
  encodeStreamAbort,
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamEof,
  encodeStreamError,
  encodeStreamHole,
  MessageStatus,
  MessageType,
  type Packet,
  RemoteStream,
  readRemoteError,
  STREAM_CHUNK_MAX,
  type StreamId,
  XdrReader,
} from '../src/index.js';

const id: StreamId = { prog: 0x20008086, vers: 1, proc: 209, serial: 42 };

/** A stream whose frames are recorded instead of written to a socket. */
function recorded(sparse = false) {
  const sent: Packet[] = [];
  let released = false;
  const stream = new RemoteStream(
    id,
    {
      write: async (frame) => {
        sent.push(decodePacket(frame));
      },
      release: () => {
        released = true;
      },
    },
    sparse,
  );
  return { stream, sent, released: () => released };
}

describe('stream framing', () => {
  it("cuts data at libvirt's 262120-byte chunk, each a CONTINUE packet of the call's serial", () => {
    const frames = encodeStreamData(id, new Uint8Array(2 * STREAM_CHUNK_MAX + 5)).map(decodePacket);
    expect(frames.map((f) => f.payload.byteLength)).toEqual([STREAM_CHUNK_MAX, STREAM_CHUNK_MAX, 5]);
    for (const f of frames) {
      expect(f.header).toEqual({ ...id, type: MessageType.STREAM, status: MessageStatus.CONTINUE });
    }
    expect(STREAM_CHUNK_MAX).toBe(256 * 1024 - 24);
    expect(encodeStreamData(id, new Uint8Array(0))).toEqual([]);
  });

  it('end of data, finish, abort and error packets', () => {
    expect(decodePacket(encodeStreamEof(id))).toMatchObject({ header: { status: MessageStatus.CONTINUE } });
    expect(decodePacket(encodeStreamEof(id)).payload.byteLength).toBe(0);
    expect(decodePacket(encodeStreamEnd(id)).header.status).toBe(MessageStatus.OK);
    const abort = decodePacket(encodeStreamAbort(id));
    expect([abort.header.status, abort.payload.byteLength]).toEqual([MessageStatus.ERROR, 0]);
    const err = decodePacket(
      encodeStreamError(
        id,
        new VirError({ code: ErrorCode.NO_STORAGE_VOL, domain: ErrorDomain.STORAGE, message: 'gone' }),
      ),
    );
    expect(err.header.status).toBe(MessageStatus.ERROR);
    expect(readRemoteError(new XdrReader(err.payload))).toMatchObject({
      code: ErrorCode.NO_STORAGE_VOL,
      message: 'gone',
    });
  });
});

describe('RemoteStream (the client end)', () => {
  it('yields queued data in order and ends at an empty CONTINUE; finish waits for the OK', async () => {
    const { stream, sent, released } = recorded();
    for (const f of [...encodeStreamData(id, Buffer.from('ab')), ...encodeStreamData(id, Buffer.from('c'))]) {
      stream.receive(decodePacket(f));
    }
    stream.receive(decodePacket(encodeStreamEof(id)));
    const got: string[] = [];
    for await (const c of stream) got.push(Buffer.from(c).toString());
    expect(got).toEqual(['ab', 'c']);
    const finished = stream.finish();
    await Promise.resolve();
    expect(sent.map((p) => p.header.status)).toEqual([MessageStatus.OK]);
    expect(released()).toBe(false);
    stream.receive(decodePacket(encodeStreamEnd(id)));
    await finished;
    expect(released()).toBe(true);
  });

  it("a daemon error reaches the reader with the daemon's code, and finish then fails without sending", async () => {
    const { stream, sent } = recorded();
    const error = new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.STREAMS, message: 'stream had I/O failure' });
    stream.receive(decodePacket(encodeStreamError(id, error)));
    await expect(stream.read()).rejects.toMatchObject({ code: ErrorCode.RPC, domain: ErrorDomain.STREAMS });
    await expect(stream.finish()).rejects.toMatchObject({ message: 'stream had I/O failure' });
    await expect(stream.send(new Uint8Array(1))).rejects.toMatchObject({ code: ErrorCode.RPC });
    expect(sent).toEqual([]);
  });

  it('an abort is answered by OK; a pending reader then sees the end', async () => {
    const { stream, sent } = recorded();
    const reading = stream.read();
    const aborted = stream.abort();
    await Promise.resolve();
    expect(sent.map((p) => [p.header.status, p.payload.byteLength])).toEqual([[MessageStatus.ERROR, 0]]);
    stream.receive(decodePacket(encodeStreamEnd(id)));
    await aborted;
    expect(await reading).toBeNull();
  });

  it('a lost connection fails a waiting reader and a waiting finish', async () => {
    const { stream } = recorded();
    const reading = stream.read();
    const finishing = stream.finish();
    stream.fail(new VirError({ code: ErrorCode.SYSTEM_ERROR, domain: ErrorDomain.RPC, message: 'lost' }));
    await expect(reading).rejects.toMatchObject({ message: 'lost' });
    await expect(finishing).rejects.toMatchObject({ message: 'lost' });
  });

  it('sends large data as 256 KiB packets', async () => {
    const { stream, sent } = recorded();
    await stream.send(new Uint8Array(600_000));
    expect(sent.map((p) => p.payload.byteLength)).toEqual([
      STREAM_CHUNK_MAX,
      STREAM_CHUNK_MAX,
      600_000 - 2 * STREAM_CHUNK_MAX,
    ]);
  });
});

describe('sparse streams (VIR_NET_STREAM_HOLE)', () => {
  const hole = (n: number) => decodePacket(encodeStreamHole(id, n));

  it('a hole is type 6, status CONTINUE, virNetStreamHole { hyper length; unsigned flags }', () => {
    const p = hole(5 * 2 ** 32 + 7);
    expect(p.header).toMatchObject({ ...id, type: MessageType.STREAM_HOLE, status: MessageStatus.CONTINUE });
    expect(Buffer.from(p.payload).toString('hex')).toBe('00000005' + '00000007' + '00000000');
    expect(decodeStreamHole(p.payload)).toEqual({ length: 5n * 2n ** 32n + 7n, flags: 0 });
    expect(() => decodeStreamHole(new Uint8Array(8))).toThrow('internal error: Malformed stream hole packet');
  });

  it('a sparse stream yields data and holes in order (consecutive holes merged); read() gives zeros', async () => {
    const { stream } = recorded(true);
    stream.receive(decodePacket(encodeStreamData(id, new Uint8Array([1, 2]))[0]!));
    stream.receive(hole(300_000));
    stream.receive(hole(4));
    stream.receive(decodePacket(encodeStreamData(id, new Uint8Array([3]))[0]!));
    stream.receive(decodePacket(encodeStreamEof(id)));
    const chunks = [];
    for await (const c of stream.chunks()) chunks.push(isStreamHole(c) ? c : [...c]);
    expect(chunks).toEqual([[1, 2], streamHole(300_004), [3]]);

    const { stream: plain } = recorded(true);
    plain.receive(hole(300_000));
    plain.receive(decodePacket(encodeStreamEof(id)));
    const sizes: number[] = [];
    for await (const c of plain) {
      expect(c.every((b) => b === 0)).toBe(true);
      sizes.push(c.byteLength);
    }
    expect(sizes).toEqual([STREAM_CHUNK_MAX, 300_000 - STREAM_CHUNK_MAX]);
  });

  it("a hole on a stream opened without the flag fails it, as libvirt's client does", async () => {
    const { stream } = recorded(false);
    stream.receive(hole(10));
    await expect(stream.read()).rejects.toMatchObject({
      code: ErrorCode.RPC,
      domain: ErrorDomain.RPC,
      message: 'Unexpected stream hole',
    });
  });

  it('sendHole: refused without the flag or with a bad length; sent as one packet otherwise', async () => {
    const { stream: dense } = recorded(false);
    await expect(dense.sendHole(10)).rejects.toMatchObject({
      code: ErrorCode.OPERATION_INVALID,
      domain: ErrorDomain.RPC,
      message: 'Requested operation is not valid: Skipping is not supported with this stream',
    });
    const { stream, sent } = recorded(true);
    for (const bad of [-1, 1.5, Number.NaN]) {
      await expect(stream.sendHole(bad)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARG });
    }
    await stream.sendHole(streamHole(8192));
    expect(sent.map((p) => [p.header.type, decodeStreamHole(p.payload).length])).toEqual([
      [MessageType.STREAM_HOLE, 8192n],
    ]);
  });
});
