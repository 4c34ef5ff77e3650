import type { Duplex } from 'node:stream';
import { ErrorCode, ErrorDomain, isVirError, VirError } from '@tsvirt/core';
import { KeepaliveProcedure, MessageStatus, MessageType } from '../rpc/constants.js';
import { readRemoteError, remoteErrorToVirError } from '../rpc/error.js';
import { encodePing, encodePong, isKeepalive } from '../rpc/keepalive.js';
import { encodePacket, type Packet, PacketFramer } from '../rpc/packet.js';
import { XdrReader } from '../xdr/reader.js';
import { XdrWriter } from '../xdr/writer.js';
import { RemoteStream } from './remote-stream.js';

export interface CallOptions {
  /** Fail the call with VIR_ERR_OPERATION_TIMEOUT after this many milliseconds (the connection stays open). */
  timeoutMs?: number;
}

interface Pending {
  prog: number;
  vers: number;
  proc: number;
  decode: (r: XdrReader) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer?: NodeJS.Timeout;
}

/** Listener for async messages (events) of other programs than keepalive. */
export type MessageListener = (packet: Packet) => void;

/** Why a connection closed: libvirt's virConnectCloseReason values. */
export const CloseReason = { ERROR: 0, EOF: 1, KEEPALIVE: 2, CLIENT: 3 } as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** Called once when the connection closes, with the reason and the error pending calls received. */
export type CloseListener = (reason: CloseReason, error: VirError) => void;

/** Client keepalive settings (virsh -k / -K; libvirt's defaults are 5 s and 5). */
export interface KeepaliveSettings {
  /** Seconds of silence from the server before a PING is sent; 0 or less disables keepalive. */
  interval: number;
  /** Unanswered PINGs after which the connection is closed. */
  count: number;
}

/**
 * One RPC connection: calls carry increasing serial numbers and replies are matched by serial, so
 * any number of calls may be in flight. When the socket drops (or the peer sends something that
 * cannot be framed) every pending call fails at once with a VirError and later calls fail at once.
 * Keepalive PINGs from the peer are answered with PONG.
 */
export class RpcClient {
  private serial = 0;
  private readonly pending = new Map<number, Pending>();
  /** Open streams by the serial of the call that opened them. */
  private readonly streams = new Map<number, RemoteStream>();
  private readonly framer = new PacketFramer();
  private closedError?: VirError;
  private readonly messageListeners = new Set<MessageListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private closeReason?: CloseReason;
  private closing = false;
  private heardFromPeer = false;
  private keepaliveTimer?: NodeJS.Timeout;

  constructor(
    private readonly socket: Duplex,
    private readonly target: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(this.dropError(err), this.closing ? CloseReason.CLIENT : CloseReason.ERROR));
    socket.on('close', () => this.fail(this.dropError(), this.closing ? CloseReason.CLIENT : CloseReason.EOF));
    // Transports may hand over a paused stream (TLS after its verdict byte).
    socket.resume();
  }

  /** Be told once when the connection drops (the peer, an error or a keepalive timeout; not `close()`). */
  onClose(listener: CloseListener): () => void {
    if (this.closedError && this.closeReason !== undefined) {
      const [reason, err] = [this.closeReason, this.closedError];
      queueMicrotask(() => listener(reason, err));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * Start libvirt's client keepalive: after `interval` seconds without any packet from the server,
   * send a PING and do so every `interval` seconds; any packet from the server counts as an answer.
   * After `count` PINGs without one, the connection is closed (reason KEEPALIVE).
   */
  startKeepalive(settings: KeepaliveSettings): void {
    this.stopKeepalive();
    if (!(settings.interval > 0) || this.closedError) return;
    const intervalMs = settings.interval * 1000;
    let pingsLeft = settings.count;
    let silentSince = Date.now();
    this.heardFromPeer = false;
    const tick = (): void => {
      if (this.closedError) return;
      if (this.heardFromPeer) {
        // Anything from the server, a PONG or a reply, proves it alive.
        this.heardFromPeer = false;
        pingsLeft = settings.count;
        silentSince = Date.now();
      } else if (pingsLeft <= 0) {
        this.keepaliveDead(settings, Date.now() - silentSince);
        return;
      } else {
        pingsLeft--;
        this.socket.write(encodePing());
      }
      this.keepaliveTimer = setTimeout(tick, intervalMs);
      this.keepaliveTimer.unref();
    };
    this.keepaliveTimer = setTimeout(tick, intervalMs);
    this.keepaliveTimer.unref();
  }

  stopKeepalive(): void {
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  private keepaliveDead(settings: KeepaliveSettings, idleMs: number): void {
    const err = new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.RPC,
      message: `internal error: connection closed due to keepalive timeout (no answer from ${this.target} to ${settings.count} keepalive messages in ${Math.round(idleMs / 1000)} seconds)`,
    });
    this.fail(err, CloseReason.KEEPALIVE);
    this.socket.destroy();
  }

  get isOpen(): boolean {
    return this.closedError === undefined;
  }

  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Call a procedure; `encode` writes the args, `decode` reads the ret (omit both for void). */
  call<T = void>(
    prog: number,
    vers: number,
    proc: number,
    encode?: (w: XdrWriter) => void,
    decode?: (r: XdrReader) => T,
    options: CallOptions = {},
  ): Promise<T> {
    return this.callAs(this.nextSerial(), prog, vers, proc, encode, decode, options);
  }

  /**
   * Call a procedure that opens a stream (DOMAIN_OPEN_CONSOLE, STORAGE_VOL_UPLOAD/DOWNLOAD). The
   * stream is registered under the call's serial before the call goes out, so data the daemon
   * sends right after its reply is not lost; `opened` settles with the reply (on an error reply
   * the stream is dropped).
   */
  openStream(
    prog: number,
    vers: number,
    proc: number,
    encode?: (w: XdrWriter) => void,
    sparse = false,
  ): { stream: RemoteStream; opened: Promise<void> } {
    const serial = this.nextSerial();
    const stream = new RemoteStream(
      { prog, vers, proc, serial },
      {
        write: (frame) => this.writeFlowControlled(frame),
        release: (s) => {
          if (this.streams.get(s) === stream) this.streams.delete(s);
        },
      },
      sparse,
    );
    if (!this.closedError) this.streams.set(serial, stream);
    const opened = this.callAs<void>(serial, prog, vers, proc, encode).catch((err: unknown) => {
      this.streams.delete(serial);
      throw err;
    });
    return { stream, opened };
  }

  /** Number of streams open on this connection (for tests and leak checks). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Write a frame and wait until the socket's buffer drains (or the socket is gone). */
  private writeFlowControlled(frame: Uint8Array): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.socket.write(frame)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private callAs<T>(
    serial: number,
    prog: number,
    vers: number,
    proc: number,
    encode?: (w: XdrWriter) => void,
    decode?: (r: XdrReader) => T,
    options: CallOptions = {},
  ): Promise<T> {
    if (this.closedError) {
      return Promise.reject(
        new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.RPC, message: 'client socket is closed' }),
      );
    }
    let payload: Uint8Array;
    let frame: Uint8Array;
    try {
      const w = new XdrWriter();
      encode?.(w);
      payload = w.finish();
      frame = encodePacket({ prog, vers, proc, type: MessageType.CALL, serial, status: MessageStatus.OK }, payload);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        prog,
        vers,
        proc,
        decode: decode ?? (() => undefined),
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (options.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          if (this.pending.get(serial) !== entry) return;
          this.pending.delete(serial);
          reject(
            new VirError({
              code: ErrorCode.OPERATION_TIMEOUT,
              domain: ErrorDomain.RPC,
              message: `Timed out during operation: no reply to procedure ${proc} after ${options.timeoutMs} ms`,
            }),
          );
        }, options.timeoutMs);
      }
      this.pending.set(serial, entry);
      this.socket.write(frame);
    });
  }

  /** Close the socket; pending calls fail. */
  close(): Promise<void> {
    this.closing = true;
    this.stopKeepalive();
    // As libvirt's remote driver: close callbacks report drops, not our own close.
    this.closeListeners.clear();
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        this.fail(this.dropError(), CloseReason.CLIENT);
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never closes its side must not keep us waiting.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }

  private nextSerial(): number {
    this.serial = (this.serial + 1) >>> 0;
    return this.serial;
  }

  private onData(chunk: Buffer): void {
    let packets: Packet[];
    try {
      packets = this.framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      // The stream cannot be resynchronised: give up on this connection.
      this.fail(isVirError(err) ? err : this.dropError(err), CloseReason.ERROR);
      this.socket.destroy();
      return;
    }
    if (packets.length > 0) this.heardFromPeer = true;
    for (const p of packets) this.dispatch(p);
  }

  private dispatch(packet: Packet): void {
    const h = packet.header;
    if (isKeepalive(h)) {
      if (h.proc === KeepaliveProcedure.PING && !this.socket.destroyed) this.socket.write(encodePong());
      return;
    }
    if (h.type === MessageType.MESSAGE) {
      for (const l of this.messageListeners) l(packet);
      return;
    }
    if (h.type === MessageType.STREAM || h.type === MessageType.STREAM_HOLE) {
      // Data for a stream already finished or aborted is dropped, as libvirt's client does.
      this.streams.get(h.serial)?.receive(packet);
      return;
    }
    if (h.type !== MessageType.REPLY) return;
    const entry = this.pending.get(h.serial);
    if (!entry) {
      // libvirtd answers a hole or data it could not take on an open stream with an error REPLY
      // under the stream's serial, and forgets the stream: fail it rather than wait for ever.
      if (h.status === MessageStatus.ERROR) this.streams.get(h.serial)?.receive(packet);
      return; // otherwise a reply to a call that timed out
    }
    this.pending.delete(h.serial);
    if (entry.timer) clearTimeout(entry.timer);
    try {
      if (h.prog !== entry.prog || h.vers !== entry.vers || h.proc !== entry.proc) {
        throw new VirError({
          code: ErrorCode.RPC,
          domain: ErrorDomain.RPC,
          message: `reply for serial ${h.serial} names program ${h.prog.toString(16)} v${h.vers} procedure ${h.proc}, expected ${entry.prog.toString(16)} v${entry.vers} procedure ${entry.proc}`,
        });
      }
      const r = new XdrReader(packet.payload);
      if (h.status === MessageStatus.ERROR) {
        const e = readRemoteError(r);
        r.done();
        entry.reject(remoteErrorToVirError(e));
        return;
      }
      if (h.status !== MessageStatus.OK) {
        throw new VirError({
          code: ErrorCode.RPC,
          domain: ErrorDomain.RPC,
          message: `unexpected status ${h.status} in reply`,
        });
      }
      const value = entry.decode(r);
      r.done();
      entry.resolve(value);
    } catch (err) {
      entry.reject(err);
    }
  }

  private dropError(cause?: unknown): VirError {
    const why = cause instanceof Error ? cause.message : 'connection closed by peer';
    return new VirError({
      code: ErrorCode.SYSTEM_ERROR,
      domain: ErrorDomain.RPC,
      message: `Cannot recv data: connection to ${this.target} lost: ${why}`,
      cause,
    });
  }

  private fail(err: VirError, reason: CloseReason): void {
    const first = !this.closedError;
    if (first) {
      this.closedError = err;
      this.closeReason = reason;
      this.stopKeepalive();
    }
    const all = [...this.pending.values()];
    this.pending.clear();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const st of streams) st.fail(this.closedError!);
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(this.closedError);
    }
    if (first) {
      const listeners = [...this.closeListeners];
      this.closeListeners.clear();
      for (const l of listeners) l(reason, err);
    }
  }
}
