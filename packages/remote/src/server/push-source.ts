import { ErrorCode, ErrorDomain, type StreamChunk, VirError } from '@tsvirt/core';

/**
 * An AsyncIterable fed by pushes: the bytes (and, on a sparse stream, holes) a client uploads, handed to a driver that reads them
 * at its own pace. `push` resolves once the driver took the chunk, so at most one chunk waits
 * here; if the driver stops reading, later pushes are discarded rather than left hanging.
 */
export class PushSource implements AsyncIterable<StreamChunk> {
  private waiting?: { chunk: StreamChunk; taken: () => void };
  private reader?: () => void;
  private ended = false;
  private error?: unknown;
  private abandoned = false;

  push(chunk: StreamChunk): Promise<void> {
    if (this.abandoned || this.ended) return Promise.resolve();
    return new Promise<void>((taken) => {
      this.waiting = { chunk, taken };
      this.wakeReader();
    });
  }

  /** No more data: the driver's loop ends normally. */
  end(): void {
    this.ended = true;
    this.wakeReader();
  }

  /** The transfer is abandoned: the driver's next read throws. */
  fail(err: unknown = abortedError()): void {
    this.error = err;
    this.ended = true;
    this.release();
    this.wakeReader();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
    try {
      for (;;) {
        const w = this.waiting;
        if (w) {
          this.waiting = undefined;
          w.taken();
          yield w.chunk;
          continue;
        }
        if (this.error !== undefined) throw this.error;
        if (this.ended) return;
        await new Promise<void>((resolve) => {
          this.reader = resolve;
        });
      }
    } finally {
      this.abandoned = true;
      this.release();
    }
  }

  private release(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.taken();
  }

  private wakeReader(): void {
    const r = this.reader;
    this.reader = undefined;
    r?.();
  }
}

function abortedError(): VirError {
  return new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.STREAMS, message: 'stream aborted' });
}
