/**
 * Sparse streams (libvirt's virStreamSendHole / virStreamRecvHole): a stream opened with a
 * *_SPARSE_STREAM flag carries runs of data and holes, a hole being a length of bytes that hold
 * nothing (they read as zeros and need not be stored). Streams opened without it carry data only.
 */

/** A hole of `hole` bytes in a sparse stream. */
export interface StreamHole {
  readonly hole: number;
}

/** What a sparse stream carries, in order: data or a hole. */
export type StreamChunk = Uint8Array | StreamHole;

export function streamHole(length: number): StreamHole {
  return { hole: length };
}

export function isStreamHole(chunk: StreamChunk): chunk is StreamHole {
  return !(chunk instanceof Uint8Array) && typeof (chunk as StreamHole).hole === 'number';
}

/** The largest zero block a hole is read as (libvirt's stream packet size). */
const ZERO_BLOCK = 262120;

/**
 * A sparse stream read as plain bytes, as virStreamRecv reads one: each hole comes out as zeros,
 * in blocks of at most 256 KiB.
 */
export async function* holesAsZeros(chunks: AsyncIterable<StreamChunk>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    if (!isStreamHole(chunk)) {
      yield chunk;
      continue;
    }
    for (let left = chunk.hole; left > 0; left -= ZERO_BLOCK) yield new Uint8Array(Math.min(left, ZERO_BLOCK));
  }
}
