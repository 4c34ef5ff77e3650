import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  encodeStreamAbort,
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamEof,
  encodeStreamError,
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
function recorded() {
  const sent: Packet[] = [];
  let released = false;
  const stream = new RemoteStream(id, {
    write: async (frame) => {
      sent.push(decodePacket(frame));
    },
    release: () => {
      released = true;
    },
  });
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
