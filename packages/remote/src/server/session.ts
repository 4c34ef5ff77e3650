import type { Connection } from '@tsvirt/core';
import { QemuProcedureApis, RemoteProcedureApis } from '../protocol/procedure-apis.js';
import { type ProcedureDef, ProceduresByNumber, QEMU_PROGRAM, QEMU_PROTOCOL_VERSION } from '../protocol/procedures.js';
import {
  ConnectOpenFlags,
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  KeepaliveProcedure,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
} from '../rpc/constants.js';
import { virErrorToRemoteError, writeRemoteError } from '../rpc/error.js';
import { encodePong } from '../rpc/keepalive.js';
import { decodeRawPacket, finishPacket, packetWriter, type RawHeader } from '../rpc/packet.js';
import { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import { alreadyOpenError, asVirError, decodeError, notOpenError, rpcError, unsupportedApiError } from './errors.js';
import { type EventRegistry, type HandlerEntry, handlers, qemuHandlers, type SessionApi } from './handlers.js';
import { streamHandlers } from './stream-handlers.js';
import { type LocalStream, ServerStreams } from './streams.js';

/** Opens the hypervisor connection a client asked for (the daemon decides which drivers exist). */
export type OpenConnection = (name: string | undefined, readOnly: boolean) => Promise<Connection>;

export interface SessionOptions {
  open: OpenConnection;
  /** The client came in on a read-only socket: its connection is read-only whatever it asks. */
  readOnly?: boolean;
  /** What CONNECT_IS_SECURE answers (unix sockets and TLS are secure, plain TCP is not). */
  secure?: boolean;
  /** Writes one encoded packet to the client. */
  send: (frame: Uint8Array) => void;
  /** The client asked whether we speak keepalive: the transport may start pinging it. */
  onKeepaliveSupported?: () => void;
  /** A line for the daemon's debug log. */
  log?: (message: string) => void;
  /** A call has been answered (the transport may read more once fewer calls are pending). */
  onCallDone?: () => void;
  /** Resolves once the transport can take more output (stream data waits for it). */
  whenWritable?: () => Promise<void>;
}

/** Procedures that work before CONNECT_OPEN, as in libvirtd. */
const BEFORE_OPEN = new Set(['AUTH_LIST', 'CONNECT_OPEN', 'CONNECT_SUPPORTS_FEATURE', 'CONNECT_CLOSE']);

/**
 * One client of the remote program, independent of the transport: frames in, frames out. Calls
 * run one at a time in arrival order; every failure becomes an ERROR reply with libvirt's
 * remote_error, never an exception out of here.
 */
export class ServerSession implements SessionApi {
  private connection?: Connection;
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;
  private closed = false;
  readonly events: EventRegistry;
  /** The client's open streams (console, volume transfers). */
  readonly streams: ServerStreams;

  constructor(private readonly options: SessionOptions) {
    this.events = { domain: new Map(), network: new Map(), pool: new Map(), nextId: 0 };
    this.streams = new ServerStreams({
      send: (frame) => {
        if (!this.closed) options.send(frame);
      },
      whenWritable: () => options.whenWritable?.() ?? Promise.resolve(),
      onMessageDone: () => options.onCallDone?.(),
      log: options.log,
    });
  }

  get secure(): boolean {
    return this.options.secure === true;
  }
  get readOnlySocket(): boolean {
    return this.options.readOnly === true;
  }

  /** Calls received and not answered yet, and stream messages not yet taken by their stream. */
  get pendingCalls(): number {
    return this.waiting + this.streams.held;
  }

  /** The open hypervisor connection, or libvirtd's "not open" error. */
  get conn(): Connection {
    if (!this.connection) throw notOpenError();
    return this.connection;
  }

  async openConnection(name: string | undefined, flags: number): Promise<void> {
    if (this.connection) throw alreadyOpenError();
    const readOnly = this.readOnlySocket || (flags & ConnectOpenFlags.RO) !== 0;
    this.connection = await this.options.open(name, readOnly);
  }

  async closeConnection(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    for (const off of this.events.domain.values()) off.unsubscribe();
    for (const off of this.events.network.values()) off.unsubscribe();
    for (const off of this.events.pool.values()) off.unsubscribe();
    this.events.domain.clear();
    this.events.network.clear();
    this.events.pool.clear();
    await c?.close();
  }

  keepaliveSupported(): void {
    this.options.onKeepaliveSupported?.();
  }

  /** Send an asynchronous message (an event) of the remote program. */
  sendMessage<A>(def: ProcedureDef<A, unknown>, args: A): void {
    if (this.closed) return;
    try {
      const w = packetWriter();
      def.args.write(w, args);
      this.options.send(
        finishPacket(
          {
            prog: REMOTE_PROGRAM,
            vers: REMOTE_PROTOCOL_VERSION,
            proc: def.proc,
            type: MessageType.MESSAGE,
            serial: 0,
            status: MessageStatus.OK,
          },
          w,
        ),
      );
    } catch (err) {
      this.options.log?.(`cannot encode event ${def.proc}: ${asVirError(err).message}`);
    }
  }

  /**
   * Handle one complete frame (length word included). Replies go out through `send`. Returns
   * false when the client must be dropped, as libvirtd drops it (a CALL_WITH_FDS whose file
   * descriptors cannot be had).
   */
  receive(frame: Uint8Array): boolean {
    const raw = decodeRawPacket(frame);
    const header = raw.header;
    let payload = raw.payload;
    if (header.type === MessageType.CALL_WITH_FDS) {
      // The payload starts with the number of descriptors passed alongside. None can be passed
      // here, so as libvirtd over TCP: a missing count or any descriptor ends the client, and a
      // count of 0 leaves an ordinary call.
      if (payload.byteLength < 4) return false;
      const nfds = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
      if (nfds !== 0) return false;
      payload = payload.subarray(4);
      header.type = MessageType.CALL;
    }
    if (header.prog === KEEPALIVE_PROGRAM && header.type === MessageType.MESSAGE) {
      if (header.vers === KEEPALIVE_PROTOCOL_VERSION && header.proc === KeepaliveProcedure.PING) {
        this.options.send(encodePong());
      }
      return true;
    }
    if (header.type === MessageType.STREAM || header.type === MessageType.STREAM_HOLE) {
      return this.streams.receive(header, payload);
    }
    // libvirtd silently drops replies and events a client sends, and unknown types.
    if (header.type !== MessageType.CALL) return true;
    this.waiting++;
    // One promise per call on the queue (this runs for every call).
    this.queue = this.queue.then(() => this.answer(header, payload));
    return true;
  }

  private async answer(h: RawHeader, payload: Uint8Array): Promise<void> {
    try {
      await this.call(h, payload);
    } catch (err) {
      this.options.log?.(`cannot answer call ${h.proc}: ${asVirError(err).message}`);
    } finally {
      this.waiting--;
      this.options.onCallDone?.();
    }
  }

  /** Wait for the calls in progress, then close the hypervisor connection (the client went away). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.streams.abortAll();
    await this.closeConnection().catch(() => {});
  }

  private async call(h: RawHeader, payload: Uint8Array): Promise<void> {
    try {
      const stream = streamHandlers.get(h.proc);
      if (stream && h.prog === REMOTE_PROGRAM && h.vers === REMOTE_PROTOCOL_VERSION) {
        const local = await this.openStream(h, payload);
        if (this.closed) {
          local.failure?.catch(() => {});
          await local.abort().catch(() => {});
          return;
        }
        // The empty reply goes out first; the stream's data follows it.
        this.reply(h, MessageStatus.OK, packetWriter(64));
        this.streams.start(h, local);
        return;
      }
      // A ret too large for one message fails here too, and is answered with that error.
      this.reply(h, MessageStatus.OK, await this.run(h, payload));
    } catch (err) {
      const w = packetWriter(512);
      writeRemoteError(w, virErrorToRemoteError(asVirError(err)));
      this.reply(h, MessageStatus.ERROR, w);
    }
  }

  /** Decode, dispatch and encode one call; the ret is written straight into its reply packet's buffer. */
  private async run(h: RawHeader, payload: Uint8Array): Promise<XdrWriter> {
    const remote = h.prog === REMOTE_PROGRAM && h.vers === REMOTE_PROTOCOL_VERSION;
    const qemu = h.prog === QEMU_PROGRAM && h.vers === QEMU_PROTOCOL_VERSION;
    if (!remote && !qemu) throw rpcError(`Cannot find program ${h.prog} version ${h.vers}`);
    if (h.status !== MessageStatus.OK) throw rpcError(`Unexpected message status ${h.status}`);
    const name = remote ? ProceduresByNumber.get(h.proc) : undefined;
    const api = (remote ? RemoteProcedureApis : QemuProcedureApis).get(h.proc);
    const handler: HandlerEntry | undefined = remote
      ? name
        ? (handlers[name] as HandlerEntry | undefined)
        : undefined
      : qemuHandlers.get(h.proc);
    if (!handler) {
      // A procedure of libvirt's protocol whose API tsvirt lacks is answered as libvirtd answers
      // when its driver lacks it. Its args are only measured: too few bytes cannot be decoded,
      // other malformed args are not noticed (libvirtd would call them undecodable).
      if (api) {
        if (payload.byteLength < api.minArgsSize) throw decodeError();
        if (!this.connection) throw notOpenError(api);
        throw unsupportedApiError(api, this.connection.readOnly);
      }
      this.options.log?.(`unknown procedure ${h.proc} (${payload.byteLength} bytes of args)`);
      throw rpcError(`unknown procedure: ${h.proc}`);
    }
    const def = handler.def;
    let args: unknown;
    try {
      // Like libvirtd, bytes after the args are ignored, and args are decoded before anything else.
      args = def.args.read(new XdrReader(payload));
    } catch {
      throw decodeError();
    }
    if (!this.connection && !(name && BEFORE_OPEN.has(name))) throw notOpenError(api);
    const ret = await handler.run(this, args);
    const w = packetWriter();
    def.ret.write(w, ret);
    return w;
  }

  /** A stream-opening call: decoded and checked in the same order as any call, then opened locally. */
  private async openStream(h: RawHeader, payload: Uint8Array): Promise<LocalStream> {
    if (h.status !== MessageStatus.OK) throw rpcError(`Unexpected message status ${h.status}`);
    const handler = streamHandlers.get(h.proc)!;
    let args: unknown;
    try {
      args = handler.def.args.read(new XdrReader(payload));
    } catch {
      throw decodeError();
    }
    if (!this.connection) throw notOpenError(RemoteProcedureApis.get(h.proc));
    return handler.open(this, args);
  }

  private reply(h: RawHeader, status: MessageStatus, payload: XdrWriter): void {
    if (this.closed) return;
    this.options.send(
      finishPacket(
        { prog: h.prog, vers: h.vers, proc: h.proc, type: MessageType.REPLY, serial: h.serial, status },
        payload,
      ),
    );
  }
}
