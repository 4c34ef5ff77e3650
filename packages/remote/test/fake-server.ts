import { createServer, type Server, type Socket } from 'node:net';
import {
  encodePacket,
  MessageStatus,
  MessageType,
  type Packet,
  PacketFramer,
  REMOTE_PROGRAM,
  writeRemoteError,
  XdrWriter,
} from '../src/index.js';

export type Handler = (packet: Packet, reply: Replier, socket: Socket) => void;

export interface Replier {
  ok(encode?: (w: XdrWriter) => void): void;
  error(code: number, domain: number, message: string): void;
}

/** A scripted stand-in for libvirtd on 127.0.0.1: `handler` decides each reply. */
export async function fakeServer(handler: Handler): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const framer = new PacketFramer();
    socket.on('data', (chunk) => {
      for (const p of framer.push(new Uint8Array(chunk))) {
        const send = (status: number, payload: Uint8Array) =>
          socket.write(encodePacket({ ...p.header, type: MessageType.REPLY, status: status as never }, payload));
        handler(
          p,
          {
            ok: (encode) => {
              const w = new XdrWriter();
              encode?.(w);
              send(MessageStatus.OK, w.finish());
            },
            error: (code, domain, message) => {
              const w = new XdrWriter();
              writeRemoteError(w, { code, domain, message, level: 2, int1: -1, int2: -1 });
              send(MessageStatus.ERROR, w.finish());
            },
          },
          socket,
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    server,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Answers the connect sequence (auth list: none; open; get type) and hands on everything else. */
export function withConnectSequence(rest: Handler, authTypes: number[] = [0]): Handler {
  return (p, reply, socket) => {
    if (p.header.prog !== REMOTE_PROGRAM) return rest(p, reply, socket);
    switch (p.header.proc) {
      case 66:
        return reply.ok((w) => w.array(authTypes, 20, (x, v) => x.int(v)));
      case 1:
      case 2:
        return reply.ok();
      case 3:
        return reply.ok((w) => w.string('TEST'));
      default:
        return rest(p, reply, socket);
    }
  };
}
