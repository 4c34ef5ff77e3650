import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { MessageStatus } from '../rpc/constants.js';
import { readRemoteError, remoteErrorToVirError } from '../rpc/error.js';
import type { Packet } from '../rpc/packet.js';
import { encodeStreamAbort, encodeStreamData, encodeStreamEnd, type StreamId } from '../rpc/stream.js';
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
 * The client's end of one libvirt stream (virNetClientStream). Incoming data is queued until read;
 * an empty CONTINUE (libvirtd's end of data; an unsolicited empty OK is taken the same way) ends
 * the daemon's data, ERROR carries its error. `finish` and
 * `abort` send OK / ERROR and wait for the daemon's confirmation, as virStreamFinish and
 * virStreamAbort do; after the daemon reported an error they fail with it without sending.
 */
export class RemoteStream implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private eof = false;
  private error?: VirError;
  private wake?: () => void;
  private confirm?: { resolve: () => void; reject: (e: VirError) => void };
  private done = false;

  constructor(
    readonly id: StreamId,
    private readonly transport: StreamTransport,
  ) {}

  /** A STREAM packet with this stream's serial arrived. */
  receive(packet: Packet): void {
    const status = packet.header.status;
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

  /** The next chunk of data, or null at the end of the daemon's data. */
  async read(): Promise<Uint8Array | null> {
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

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read();
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
