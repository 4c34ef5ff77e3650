import type { Socket } from 'node:net';
import { encodePing } from '../rpc/keepalive.js';
import { FrameSplitter } from '../rpc/packet.js';
import type { BusyPoll } from './busy-poll.js';
import { type OpenConnection, ServerSession } from './session.js';

/**
 * Reply bytes queued for a client beyond which we stop reading its calls until they drain: a
 * client that never reads cannot make the daemon buffer without bound (libvirtd only counts a
 * call done once its reply has been sent, which bounds the same thing).
 */
const OUTPUT_HIGH_WATER = 1024 * 1024;

export interface ServeSocketOptions {
  open: OpenConnection;
  readOnly?: boolean;
  secure?: boolean;
  /** Seconds of silence before a PING (libvirtd's keepalive_interval; 0 or less disables). Default 5. */
  keepaliveInterval?: number;
  /** Unanswered PINGs before the client is dropped (keepalive_count). Default 5. */
  keepaliveCount?: number;
  /** Calls a client may have waiting before we stop reading from it (max_client_requests). Default 5. */
  maxClientRequests?: number;
  log?: (message: string) => void;
  /** Shared by all of a daemon's sockets: keeps polling for a while after each reply. */
  busyPoll?: BusyPoll;
  /** Called once the client is gone and its connection closed. */
  onClose?: () => void;
}

/**
 * Serve the remote program on one accepted socket. A length word libvirtd would refuse (under a
 * header, over 32 MiB) drops this client only; everything else is answered by the session.
 */
export function serveSocket(socket: Socket, options: ServeSocketOptions): ServerSession {
  const splitter = new FrameSplitter();
  let lastSeen = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let unanswered = 0;
  const interval = (options.keepaliveInterval ?? 5) * 1000;
  const count = options.keepaliveCount ?? 5;
  const maxRequests = Math.max(1, options.maxClientRequests ?? 5);

  const session = new ServerSession({
    open: options.open,
    readOnly: options.readOnly,
    secure: options.secure,
    log: options.log,
    // Stop reading from a client with too many calls waiting (libvirtd's max_client_requests),
    // so one client cannot make the daemon buffer without limit; read again as they are answered.
    onCallDone: () => pump(),
    send: (frame) => {
      if (!socket.destroyed && socket.writable) socket.write(frame);
      options.busyPoll?.replied();
    },
    // Stream data is sent a chunk at a time, the next once the socket's buffer is low again.
    whenWritable: () =>
      socket.writableLength <= OUTPUT_HIGH_WATER || socket.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              socket.off('drain', done);
              socket.off('close', done);
              resolve();
            };
            socket.on('drain', done);
            socket.on('close', done);
          }),
    onKeepaliveSupported: () => {
      if (timer || interval <= 0) return;
      timer = setInterval(() => {
        if (Date.now() - lastSeen < interval) return;
        if (unanswered >= count) {
          options.log?.('client stopped answering keepalive; closing it');
          socket.destroy();
          return;
        }
        unanswered++;
        if (!socket.destroyed) socket.write(encodePing());
      }, interval);
      timer.unref();
    },
  });

  const full = (): boolean => session.pendingCalls >= maxRequests || socket.writableLength > OUTPUT_HIGH_WATER;
  // Frames read but not handed to the session yet: at most what one read brought in, because
  // reading stops while any are left.
  const backlog: Uint8Array[] = [];
  function pump(): void {
    while (backlog.length > 0 && !full()) {
      if (!session.receive(backlog.shift()!)) {
        options.log?.('dropping client: a call with file descriptors that cannot be received');
        backlog.length = 0;
        socket.destroy();
        return;
      }
    }
    if (backlog.length > 0 || full()) socket.pause();
    else if (socket.isPaused() && !socket.destroyed) socket.resume();
  }
  socket.on('drain', pump);

  socket.on('data', (chunk: Buffer) => {
    options.busyPoll?.called();
    lastSeen = Date.now();
    unanswered = 0;
    let frames: Uint8Array[];
    try {
      frames = splitter.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      options.log?.(`dropping client: ${(err as Error).message}`);
      socket.destroy();
      return;
    }
    backlog.push(...frames);
    pump();
  });
  socket.on('error', (err) => options.log?.(`client socket error: ${err.message}`));
  socket.once('close', () => {
    if (timer) clearInterval(timer);
    session.close().finally(() => options.onClose?.());
  });
  return session;
}
