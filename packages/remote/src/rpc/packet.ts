import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { MESSAGE_HEADER_SIZE, MESSAGE_LEN_SIZE, MESSAGE_MAX } from '../xdr/limits.js';
import { XdrReader } from '../xdr/reader.js';
import { XdrWriter } from '../xdr/writer.js';
import { MESSAGE_STATUSES, MESSAGE_TYPES, type MessageStatus, type MessageType } from './constants.js';

/** virNetMessageHeader. */
export interface PacketHeader {
  prog: number;
  vers: number;
  proc: number;
  type: MessageType;
  serial: number;
  status: MessageStatus;
}

/** One message off the wire: its header and the undecoded payload. */
export interface Packet {
  header: PacketHeader;
  payload: Uint8Array;
}

function rpcError(message: string): VirError {
  return new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.RPC, message });
}

/** Bytes in front of a payload: the length word and the header. */
const PACKET_PREFIX = MESSAGE_LEN_SIZE + MESSAGE_HEADER_SIZE;

function checkPacketSize(payloadBytes: number): void {
  const size = MESSAGE_HEADER_SIZE + payloadBytes;
  if (size > MESSAGE_MAX) throw rpcError(`packet of ${size} bytes exceeds the maximum of ${MESSAGE_MAX}`);
}

/**
 * A writer for one packet's payload that leaves room for the length word and header in front, so
 * that finishPacket frames it without another allocation and copy (the hot path of every reply).
 */
export function packetWriter(initial = 1024): XdrWriter {
  // Buffer.allocUnsafe hands small sizes out of a shared pool: no zeroed allocation per reply. Every
  // byte of the frame is written before it is sent (XdrWriter pads with zeros itself).
  return new XdrWriter(Buffer.allocUnsafe(initial), MESSAGE_MAX, PACKET_PREFIX);
}

/** Frame the payload written into a packetWriter: the same bytes and checks as encodePacket. */
export function finishPacket(header: PacketHeader, w: XdrWriter): Uint8Array {
  checkPacketSize(w.length);
  // Negative procedure numbers and types are written as their two's complement, as int() would.
  return w.finishWithPrefix([
    PACKET_PREFIX + w.length,
    header.prog,
    header.vers,
    header.proc,
    header.type,
    header.serial,
    header.status,
  ]);
}

/** Frame a message: length word (counting itself), header, payload. */
export function encodePacket(header: PacketHeader, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkPacketSize(payload.byteLength);
  const size = MESSAGE_HEADER_SIZE + payload.byteLength;
  const w = new XdrWriter(MESSAGE_LEN_SIZE + MESSAGE_HEADER_SIZE, MESSAGE_LEN_SIZE + MESSAGE_HEADER_SIZE);
  w.uint(MESSAGE_LEN_SIZE + size)
    .uint(header.prog)
    .uint(header.vers)
    .int(header.proc)
    .int(header.type)
    .uint(header.serial)
    .int(header.status);
  const out = new Uint8Array(MESSAGE_LEN_SIZE + size);
  out.set(w.finish(), 0);
  out.set(payload, MESSAGE_LEN_SIZE + MESSAGE_HEADER_SIZE);
  return out;
}

/**
 * Check a packet's length word (which counts itself): at least a header, at most libvirt's
 * 32 MiB message limit. Called as soon as the four bytes arrive, before buffering the rest.
 */
export function checkPacketLength(length: number): void {
  if (length < MESSAGE_LEN_SIZE + MESSAGE_HEADER_SIZE) {
    throw rpcError(`packet received from peer too small (${length} bytes)`);
  }
  if (length - MESSAGE_LEN_SIZE > MESSAGE_MAX) {
    throw rpcError(`packet received from peer too large (${length} bytes, limit ${MESSAGE_MAX + MESSAGE_LEN_SIZE})`);
  }
}

/** Decode the header of a whole message (without its length word). */
export function decodeHeader(r: XdrReader): PacketHeader {
  const prog = r.uint();
  const vers = r.uint();
  const proc = r.int();
  const type = r.enumValue(MESSAGE_TYPES, 'message type');
  const serial = r.uint();
  const status = r.enumValue(MESSAGE_STATUSES, 'message status');
  return { prog, vers, proc, type, serial, status };
}

/** Decode one complete frame (length word included). */
export function decodePacket(frame: Uint8Array): Packet {
  if (frame.byteLength < MESSAGE_LEN_SIZE) throw rpcError('packet truncated before its length word');
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  checkPacketLength(length);
  if (frame.byteLength !== length) {
    throw rpcError(`packet length word says ${length} bytes, frame has ${frame.byteLength}`);
  }
  const body = frame.subarray(MESSAGE_LEN_SIZE);
  const r = new XdrReader(body);
  const header = decodeHeader(r);
  return { header, payload: body.subarray(MESSAGE_HEADER_SIZE) };
}

/** A header as it arrived, before its type and status were checked (servers ignore odd types, as libvirtd does). */
export interface RawHeader {
  prog: number;
  vers: number;
  proc: number;
  type: number;
  serial: number;
  status: number;
}

/** Decode a frame's header without judging its type and status (length word already checked). */
export function decodeRawPacket(frame: Uint8Array): { header: RawHeader; payload: Uint8Array } {
  const body = frame.subarray(MESSAGE_LEN_SIZE);
  const r = new XdrReader(body);
  const header = { prog: r.uint(), vers: r.uint(), proc: r.int(), type: r.int(), serial: r.uint(), status: r.int() };
  return { header, payload: body.subarray(MESSAGE_HEADER_SIZE) };
}

/**
 * Cuts a byte stream (socket chunks of any size) into whole frames, length word included. A length
 * word under a header or over 32 MiB throws as soon as its four bytes arrive; the stream cannot be
 * resynchronised after that, so the caller closes the connection.
 */
export class FrameSplitter {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private expected = -1;

  /** Feed bytes; returns every frame completed by them, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < MESSAGE_LEN_SIZE) break;
        const head = this.peek(MESSAGE_LEN_SIZE);
        const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
        checkPacketLength(length);
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      out.push(this.take(this.expected));
      this.expected = -1;
    }
    return out;
  }

  /** Bytes received that do not form a complete frame yet. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.byteLength >= n) return first.subarray(0, n);
    return this.concat().subarray(0, n);
  }
  private concat(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const all = new Uint8Array(this.buffered);
    let o = 0;
    for (const c of this.chunks) {
      all.set(c, o);
      o += c.byteLength;
    }
    this.chunks = [all];
    return all;
  }
  private take(n: number): Uint8Array {
    const all = this.concat();
    if (all.byteLength === n) {
      // The common case, one read holding exactly one frame: hand it over without a copy (socket
      // chunks are fresh buffers nobody else writes to).
      this.chunks = [];
      this.buffered = 0;
      return all;
    }
    const frame = all.slice(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.byteLength ? [rest] : [];
    this.buffered = rest.byteLength;
    return frame;
  }
}

/**
 * Reassembles packets from a byte stream and decodes their headers strictly (a client's view: a
 * bad type or status from the server is fatal). Throws like FrameSplitter on bad lengths.
 */
export class PacketFramer {
  private readonly splitter = new FrameSplitter();

  /** Feed bytes; returns every packet completed by them, in order. */
  push(chunk: Uint8Array): Packet[] {
    return this.splitter.push(chunk).map(decodePacket);
  }

  /** Bytes received that do not form a complete packet yet. */
  get pending(): number {
    return this.splitter.pending;
  }
}
