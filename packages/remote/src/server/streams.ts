import { ErrorCode, ErrorDomain, isVirError, VirError } from '@tsvirt/core';
import { MessageStatus } from '../rpc/constants.js';
import type { RawHeader } from '../rpc/packet.js';
import { encodeStreamData, encodeStreamEnd, encodeStreamEof, encodeStreamError, type StreamId } from '../rpc/stream.js';
import { asVirError } from './errors.js';

/**
 * The daemon's end of a stream, backed by a local driver object (a console, a volume transfer).
 * `source` gives what goes to the client, `write` takes what the client sends; a stream may have
 * one or both directions.
 */
export interface LocalStream {
  readonly source?: AsyncIterable<Uint8Array>;
  write?(data: Uint8Array): Promise<void>;
  /** The client finished: complete the transfer (its failure goes back to the client). */
  finish(): Promise<void>;
  /** The client aborted or went away, or the stream failed: release everything. */
  abort(): Promise<void>;
  /** Rejects when the local side fails on its own (an upload the driver gave up on). */
  readonly failure?: Promise<never>;
}

export interface StreamIo {
  send(frame: Uint8Array): void;
  /** Resolves once the transport has room for more (the daemon sends one chunk at a time). */
  whenWritable(): Promise<void>;
  /** A client message held for a stream has been dealt with (the transport may read again). */
  onMessageDone(): void;
  log?(message: string): void;
}

/** VIR_NET_STREAM_HOLE: only for sparse streams, which this daemon does not offer. */
const MESSAGE_TYPE_STREAM_HOLE = 6;

function streamsError(message: string): VirError {
  return new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.STREAMS, message, str1: '%s', str2: message });
}

/** A local failure as the client should see it: driver errors as they are, others as libvirt words I/O failures. */
function streamFailure(err: unknown): VirError {
  if (isVirError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return streamsError(`stream had I/O failure: ${detail}`);
}

/** One open stream of one client. */
class ServedStream {
  closed = false;
  /** Client messages still waiting for the local side, in order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly id: StreamId,
    private readonly local: LocalStream,
    private readonly owner: ServerStreams,
  ) {
    local.failure?.catch((err) => this.fail(err));
    if (local.source) void this.pumpOut(local.source);
  }

  /** Queue one client message (data, finish or abort) behind the ones before it. */
  enqueue(status: number, payload: Uint8Array): void {
    this.owner.held++;
    this.chain = this.chain
      .then(() => this.handle(status, payload))
      .catch((err) => this.owner.io.log?.(`stream ${this.id.serial}: ${asVirError(err).message}`))
      .finally(() => {
        this.owner.held--;
        this.owner.io.onMessageDone();
      });
  }

  private async handle(status: number, payload: Uint8Array): Promise<void> {
    if (this.closed) return;
    if (status === MessageStatus.CONTINUE) {
      if (!this.local.write) {
        await this.fail(streamsError('stream does not accept data from the client'));
        return;
      }
      try {
        await this.local.write(payload);
      } catch (err) {
        await this.fail(err);
      }
      return;
    }
    this.close();
    if (status === MessageStatus.OK) {
      try {
        await this.local.finish();
        this.owner.io.send(encodeStreamEnd(this.id));
      } catch (err) {
        this.owner.io.send(encodeStreamError(this.id, streamFailure(err)));
      }
      return;
    }
    await this.local.abort().catch(() => {});
    if (status === MessageStatus.ERROR) this.owner.io.send(encodeStreamEnd(this.id));
    else
      this.owner.io.send(encodeStreamError(this.id, streamsError(`stream aborted with unexpected status ${status}`)));
  }

  /** Local data to the client, one chunk at a time, each waiting for the socket to take it. */
  private async pumpOut(source: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      for await (const chunk of source) {
        for (const frame of encodeStreamData(this.id, chunk)) {
          if (this.closed) return;
          this.owner.io.send(frame);
          await this.owner.io.whenWritable();
        }
        if (this.closed) return;
      }
      // End of our data; the stream stays until the client finishes or aborts it.
      if (!this.closed) this.owner.io.send(encodeStreamEof(this.id));
    } catch (err) {
      await this.fail(err);
    }
  }

  /** The local side failed: tell the client why and forget the stream. */
  async fail(err: unknown): Promise<VirError> {
    const e = streamFailure(err);
    if (this.closed) return e;
    this.close();
    await this.local.abort().catch(() => {});
    this.owner.io.send(encodeStreamError(this.id, e));
    return e;
  }

  /** Stop both directions without telling the client (it finished, aborted or went away). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.forget(this);
  }

  async abortSilently(): Promise<void> {
    if (this.closed) return;
    this.close();
    await this.local.abort().catch(() => {});
  }
}

/**
 * The streams of one client, keyed by the serial of the call that opened each. Client messages
 * for a stream are held (and counted as pending requests, so the transport stops reading while
 * too many wait) until the local side took them, as libvirtd counts them against
 * max_client_requests; outgoing data is read one chunk at a time, the next only once the
 * transport has room.
 */
export class ServerStreams {
  private readonly open = new Map<number, ServedStream>();
  /** Client messages received and not yet handed to their local stream. */
  held = 0;

  constructor(readonly io: StreamIo) {}

  get size(): number {
    return this.open.size;
  }

  /** Start serving a stream; called after the opening call's OK reply went out. */
  start(h: RawHeader, local: LocalStream): void {
    const id: StreamId = { prog: h.prog, vers: h.vers, proc: h.proc, serial: h.serial };
    // A client reusing a serial replaces its old stream; the old one must not stay open unseen.
    void this.open.get(h.serial)?.abortSilently();
    this.open.set(h.serial, new ServedStream(id, local, this));
  }

  /**
   * A STREAM or STREAM_HOLE message from the client. Messages for no open stream are dropped, as
   * libvirtd drops data arriving after a stream ended. Returns false when the client must be
   * dropped: a hole on a stream that is not sparse (libvirtd closes such a client).
   */
  receive(h: RawHeader, payload: Uint8Array): boolean {
    const stream = this.open.get(h.serial);
    if (!stream || stream.id.prog !== h.prog || stream.id.vers !== h.vers || stream.id.proc !== h.proc) {
      this.io.log?.(`ignoring stream data for serial ${h.serial} procedure ${h.proc}: no such stream`);
      return true;
    }
    if (h.type === MESSAGE_TYPE_STREAM_HOLE) {
      this.io.log?.(`dropping client: unexpected stream hole on serial ${h.serial}`);
      void stream.abortSilently();
      return false;
    }
    stream.enqueue(h.status, payload);
    return true;
  }

  forget(stream: ServedStream): void {
    if (this.open.get(stream.id.serial) === stream) this.open.delete(stream.id.serial);
  }

  /** The client went away: release every local stream. */
  async abortAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((s) => s.abortSilently()));
  }
}
