import { ErrorCode, ErrorDomain, type VirError, virError } from '@tsvirt/core';
import { XdrReader } from '../xdr/reader.js';
import { XdrWriter } from '../xdr/writer.js';
import { MessageStatus, MessageType } from './constants.js';
import { virErrorToRemoteError, writeRemoteError } from './error.js';
import { encodePacket } from './packet.js';

/**
 * libvirt's stream framing (docs/internals/rpc: "Stream data"): after the call that opens a stream
 * is answered, both sides send messages of type STREAM that repeat the opening call's program,
 * version, procedure and serial. Status CONTINUE carries data (an empty one is the daemon's end of
 * data), an empty OK is the client's finish and the daemon's confirmation of a finish or abort,
 * ERROR carries a remote_error (from the daemon) or asks for an abort with an empty body (from the
 * client).
 */

/**
 * VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX: the largest data payload libvirt puts in one stream message.
 * Both directions cut data at this size so old peers accept every packet.
 */
export const STREAM_CHUNK_MAX = 262120;

/** What identifies a stream on the wire: the opening call's header fields. */
export interface StreamId {
  prog: number;
  vers: number;
  proc: number;
  serial: number;
}

function streamPacket(id: StreamId, status: MessageStatus, payload?: Uint8Array): Uint8Array {
  return encodePacket({ ...id, type: MessageType.STREAM, status }, payload);
}

/** Data, cut into chunks of at most STREAM_CHUNK_MAX bytes, each one CONTINUE packet. */
export function encodeStreamData(id: StreamId, data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.byteLength; at += STREAM_CHUNK_MAX) {
    out.push(streamPacket(id, MessageStatus.CONTINUE, data.subarray(at, at + STREAM_CHUNK_MAX)));
  }
  return out;
}

/** The daemon's end of its data: an empty CONTINUE packet, as libvirtd sends at end of file or on a hangup. */
export function encodeStreamEof(id: StreamId): Uint8Array {
  return streamPacket(id, MessageStatus.CONTINUE);
}

/** The empty OK packet: a client's finish, or the daemon's confirmation of a finish or abort. */
export function encodeStreamEnd(id: StreamId): Uint8Array {
  return streamPacket(id, MessageStatus.OK);
}

/** A client's abort request: ERROR with no body. */
export function encodeStreamAbort(id: StreamId): Uint8Array {
  return streamPacket(id, MessageStatus.ERROR);
}

/** A daemon's stream failure: ERROR with the remote_error that says why. */
export function encodeStreamError(id: StreamId, err: VirError): Uint8Array {
  const w = new XdrWriter();
  writeRemoteError(w, virErrorToRemoteError(err));
  return streamPacket(id, MessageStatus.ERROR, w.finish());
}

/**
 * A hole of `length` bytes (VIR_NET_STREAM_HOLE, status CONTINUE): the payload is virNetStreamHole,
 * a hyper length and unsigned flags (none defined; libvirt sends 0).
 */
export function encodeStreamHole(id: StreamId, length: number, flags = 0): Uint8Array {
  const w = new XdrWriter();
  w.hyper(BigInt(length)).uint(flags);
  return encodePacket({ ...id, type: MessageType.STREAM_HOLE, status: MessageStatus.CONTINUE }, w.finish());
}

/** virNetStreamHole as sent (trailing bytes are ignored, as libvirt's decoder ignores them). */
export function decodeStreamHole(payload: Uint8Array): { length: bigint; flags: number } {
  try {
    const r = new XdrReader(payload);
    return { length: r.hyper(), flags: r.uint() };
  } catch {
    throw virError(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, 'Malformed stream hole packet');
  }
}
