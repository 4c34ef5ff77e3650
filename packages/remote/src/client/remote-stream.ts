import {
  ErrorCode,
  ErrorDomain,
  isStreamHole,
  type StreamChunk,
  type StreamHole,
  streamHole,
  VirError,
  virError,
} from '@tsvirt/core';
import { MessageStatus, MessageType } from '../rpc/constants.js';
import { readRemoteError, remoteErrorToVirError } from '../rpc/error.js';
import type { Packet } from '../rpc/packet.js';
import {
  decodeStreamHole,
  encodeStreamAbort,
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamHole,
  STREAM_CHUNK_MAX,
  type StreamId,
} from '../rpc/stream.js';
import { XdrReader } from '../xdr/reader.js';

/** How a stream reaches the connection it travels on. */
export interface StreamTransport {
  /** Write one frame; resolves once the socket can take more (the sender's flow control). */
  write(frame: Uint8Array): Promise<void>;
  /** The stream is over: stop routing its packets to it. */
  release(serial: number): void;
}

function streamError(message: string): VirError {
  return new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.STREAMS, message });
}

/**
 * The client's end of one libvirt stream (virNetClientStream). Incoming data (and, on a sparse
 * stream, holes) is queued until read;
 * an empty CONTINUE (libvirtd's end of data; an unsolicited empty OK is taken the same way) ends
 * the daemon's data, ERROR carries its error. `finish` and
 * `abort` send OK / ERROR and wait for the daemon's confirmation, as virStreamFinish and
 * virStreamAbort do; after the daemon reported an error they fail with it without sending.
 */
export class RemoteStream implements AsyncIterable<Uint8Array> {
  private readonly queue: StreamChunk[] = [];
  /** What is left of a hole being read as zeros by `read`. */
  private zerosLeft = 0;
  private eof = false;
  private error?: VirError;
  private wake?: () => void;
  private confirm?: { resolve: () => void; reject: (e: VirError) => void };
  private done = false;

  constructor(
    readonly id: StreamId,
    private readonly transport: StreamTransport,
    /** Opened with a *_SPARSE_STREAM flag: holes may travel both ways (libvirt's allowSkip). */
    readonly sparse = false,
  ) {}

  /**
   * A STREAM or STREAM_HOLE packet with this stream's serial arrived (or a REPLY carrying an
   * error, which libvirtd sends when it refused a hole or data on the stream).
   */
  receive(packet: Packet): void {
    const status = packet.header.status;
    if (packet.header.type === MessageType.STREAM_HOLE && status !== MessageStatus.ERROR) {
      this.receiveHole(packet.payload);
      return;
    }
    if (status === MessageStatus.CONTINUE) {
      // libvirtd marks the end of its data with an empty CONTINUE packet.
      if (packet.payload.byteLength > 0) this.queue.push(packet.payload);
      else this.eof = true;
    } else if (status === MessageStatus.OK) {
      if (this.confirm) {
        this.settle();
        return;
      }
      this.eof = true;
    } else {
      let err: VirError;
      try {
        const r = new XdrReader(packet.payload);
        err = remoteErrorToVirError(readRemoteError(r));
      } catch {
        err = streamError('stream aborted by the server with an undecodable error');
      }
      this.fail(err);
      return;
    }
    this.notify();
  }

  /** The connection is gone, or the daemon reported an error: every waiter fails with it. */
  fail(err: VirError): void {
    if (!this.error) this.error = err;
    const c = this.confirm;
    this.confirm = undefined;
    this.finishLocally();
    c?.reject(this.error);
    this.notify();
  }

  /** A hole from the daemon: only a sparse stream takes one (virNetClientStreamHandleHole). */
  private receiveHole(payload: Uint8Array): void {
    if (!this.sparse) {
      this.fail(virError(ErrorCode.RPC, ErrorDomain.RPC, 'Unexpected stream hole'));
      return;
    }
    let length: bigint;
    try {
      length = decodeStreamHole(payload).length;
    } catch (err) {
      this.fail(err as VirError);
      return;
    }
    if (length < 0n || length > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(virError(ErrorCode.RPC, ErrorDomain.RPC, `stream hole of ${length} bytes is out of range`));
      return;
    }
    // Two holes in a row are one longer hole for the reader.
    const last = this.queue[this.queue.length - 1];
    if (last && isStreamHole(last)) this.queue[this.queue.length - 1] = streamHole(last.hole + Number(length));
    else if (length > 0n) this.queue.push(streamHole(Number(length)));
    this.notify();
  }

  /**
   * The next piece of the stream, or null at the end of the daemon's data: data, or a hole
   * (virStreamRecvFlags with VIR_STREAM_RECV_STOP_AT_HOLE, then virStreamRecvHole).
   */
  async readChunk(): Promise<StreamChunk | null> {
    for (;;) {
      const next = this.queue.shift();
      if (next) return next;
      if (this.error) throw this.error;
      if (this.eof || this.done) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** The next bytes, or null at the end: holes read as zeros, as virStreamRecv reads them. */
  async read(): Promise<Uint8Array | null> {
    if (this.zerosLeft > 0) return this.zeros();
    const next = await this.readChunk();
    if (next === null || !isStreamHole(next)) return next;
    this.zerosLeft = next.hole;
    return this.zeros();
  }

  private zeros(): Uint8Array {
    const n = Math.min(this.zerosLeft, STREAM_CHUNK_MAX);
    this.zerosLeft -= n;
    return new Uint8Array(n);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read();
      if (chunk === null) return;
      yield chunk;
    }
  }

  /** Data and holes, in order (a sparse stream read with virStreamSparseRecvAll). */
  async *chunks(): AsyncIterable<StreamChunk> {
    for (;;) {
      const chunk = await this.readChunk();
      if (chunk === null) return;
      yield chunk;
    }
  }

  /** Send data (cut into libvirt's 256 KiB chunks); resolves once the socket took it. */
  async send(data: Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    if (this.done) throw streamError('stream is closed');
    for (const frame of encodeStreamData(this.id, data)) await this.transport.write(frame);
  }

  /**
   * Send a hole of `length` bytes (virStreamSendHole). Only a sparse stream takes one; the length
   * must be a whole number of bytes, zero or more.
   */
  async sendHole(hole: StreamHole | number): Promise<void> {
    const length = typeof hole === 'number' ? hole : hole.hole;
    if (!this.sparse) {
      throw virError(ErrorCode.OPERATION_INVALID, ErrorDomain.RPC, 'Skipping is not supported with this stream');
    }
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.STREAMS,
        message: 'length in virStreamSendHole must be zero or greater',
      });
    }
    if (this.error) throw this.error;
    if (this.done) throw streamError('stream is closed');
    await this.transport.write(encodeStreamHole(this.id, length));
  }

  /** End our direction and wait for the daemon to confirm (virStreamFinish). */
  finish(): Promise<void> {
    return this.close(encodeStreamEnd(this.id));
  }

  /** Ask the daemon to drop the stream and wait for it to confirm (virStreamAbort). */
  abort(): Promise<void> {
    return this.close(encodeStreamAbort(this.id));
  }

  /** Whether the daemon ended its data (an empty OK arrived). */
  get ended(): boolean {
    return this.eof;
  }

  private async close(frame: Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    if (this.done) return;
    const confirmed = new Promise<void>((resolve, reject) => {
      this.confirm = { resolve, reject };
    });
    await this.transport.write(frame);
    await confirmed;
  }

  private settle(): void {
    const c = this.confirm;
    this.confirm = undefined;
    this.finishLocally();
    c?.resolve();
    this.notify();
  }

  private finishLocally(): void {
    if (this.done) return;
    this.done = true;
    this.transport.release(this.id.serial);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
