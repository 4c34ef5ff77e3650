import {
  ErrorCode,
  ErrorDomain,
  holesAsZeros,
  isStreamHole,
  isVirError,
  type StreamChunk,
  streamHole,
  VirError,
} from '@tsvirt/core';
import { MessageStatus, MessageType } from '../rpc/constants.js';
import type { RawHeader } from '../rpc/packet.js';
import {
  decodeStreamHole,
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamEof,
  encodeStreamError,
  encodeStreamHole,
  type StreamId,
} from '../rpc/stream.js';
import { asVirError } from './errors.js';

/**
 * The daemon's end of a stream, backed by a local driver object (a console, a volume transfer).
 * `source` gives what goes to the client, `write` takes what the client sends; a stream may have
 * one or both directions. Holes pass either way only on a sparse stream.
 */
export interface LocalStream {
  readonly source?: AsyncIterable<StreamChunk>;
  write?(data: StreamChunk): Promise<void>;
  /** Opened with a *_SPARSE_STREAM flag: the client may send holes and is sent the source's holes. */
  readonly sparse?: boolean;
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

function invalidArg(message: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.STREAMS, message });
}

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
  readonly sparse: boolean;
  /** Client messages still waiting for the local side, in order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly id: StreamId,
    private readonly local: LocalStream,
    private readonly owner: ServerStreams,
  ) {
    this.sparse = local.sparse === true;
    local.failure?.catch((err) => this.fail(err));
    if (local.source) void this.pumpOut(local.source);
  }

  /** Queue one client message (data, a hole, finish or abort) behind the ones before it. */
  enqueue(work: () => Promise<void>): void {
    this.owner.held++;
    this.chain = this.chain
      .then(work)
      .catch((err) => this.owner.io.log?.(`stream ${this.id.serial}: ${asVirError(err).message}`))
      .finally(() => {
        this.owner.held--;
        this.owner.io.onMessageDone();
      });
  }

  /**
   * A hole on a sparse stream. As libvirtd's only sparse backend (its file streams) does, a hole
   * must be longer than zero and carry no flags; otherwise the stream fails with the reason.
   */
  async handleHole(length: bigint, flags: number): Promise<void> {
    if (this.closed) return;
    if (flags !== 0) {
      await this.fail(invalidArg(`unsupported flags (0x${flags.toString(16)}) in function virStreamSendHole`));
      return;
    }
    if (length <= 0n || length > BigInt(Number.MAX_SAFE_INTEGER)) {
      await this.fail(invalidArg('length in virStreamSendHole must be greater than zero'));
      return;
    }
    if (!this.local.write) {
      await this.fail(streamsError('stream does not accept data from the client'));
      return;
    }
    try {
      await this.local.write(streamHole(Number(length)));
    } catch (err) {
      await this.fail(err);
    }
  }

  async handle(status: number, payload: Uint8Array): Promise<void> {
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

  /**
   * Local data to the client, one chunk at a time, each waiting for the socket to take it. A
   * sparse stream sends holes as holes; any other reads them as zeros.
   */
  private async pumpOut(source: AsyncIterable<StreamChunk>): Promise<void> {
    try {
      for await (const chunk of this.local.sparse ? source : holesAsZeros(source)) {
        const frames = isStreamHole(chunk)
          ? chunk.hole > 0
            ? [encodeStreamHole(this.id, chunk.hole)]
            : []
          : encodeStreamData(this.id, chunk);
        for (const frame of frames) {
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
   * dropped, as libvirtd closes it: a hole on a stream that is not sparse, or one that does not
   * decode.
   */
  receive(h: RawHeader, payload: Uint8Array): boolean {
    const stream = this.open.get(h.serial);
    if (!stream || stream.id.prog !== h.prog || stream.id.vers !== h.vers || stream.id.proc !== h.proc) {
      this.io.log?.(`ignoring stream data for serial ${h.serial} procedure ${h.proc}: no such stream`);
      return true;
    }
    if (h.type === MessageType.STREAM_HOLE) {
      let hole: { length: bigint; flags: number };
      try {
        if (!stream.sparse) throw new Error('unexpected stream hole');
        hole = decodeStreamHole(payload);
      } catch (err) {
        this.io.log?.(`dropping client: ${(err as Error).message} on serial ${h.serial}`);
        void stream.abortSilently();
        return false;
      }
      stream.enqueue(() => stream.handleHole(hole.length, hole.flags));
      return true;
    }
    stream.enqueue(() => stream.handle(h.status, payload));
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
