/**
 * A minimal client of the remote program over one TCP socket, for tests that need many cheap
 * connections or byte-level control: sends calls, matches replies by serial, and records what
 * the peer sent and whether it closed.
 */
import { connect as netConnect, type Socket } from 'node:net';
import {
  decodeRawPacket,
  encodePacket,
  FrameSplitter,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
  readRemoteError,
  remoteErrorToVirError,
  XdrReader,
} from '@tsvirt/remote';

export interface Reply {
  proc: number;
  type: number;
  status: number;
  error?: { code: number; domain: number; message: string };
}

/** What a peer answered to some bytes. */
export interface Outcome {
  closed: boolean;
  replies: Reply[];
}

function toReply(frame: Uint8Array): Reply & { serial: number; payload: Uint8Array } {
  const { header, payload } = decodeRawPacket(frame);
  let error: Reply['error'];
  if (header.status === MessageStatus.ERROR) {
    const e = remoteErrorToVirError(readRemoteError(new XdrReader(payload)));
    error = { code: e.code, domain: e.domain, message: e.message };
  }
  return { proc: header.proc, type: header.type, status: header.status, error, serial: header.serial, payload };
}

/** Send bytes on a fresh connection; collect replies until the peer closes or `waitMs` passes. */
export function exchange(port: number, bytes: Uint8Array, waitMs = 400): Promise<Outcome> {
  return new Promise((resolve) => {
    const replies: Reply[] = [];
    const splitter = new FrameSplitter();
    const s: Socket = netConnect({ host: '127.0.0.1', port }, () => s.write(bytes));
    s.on('data', (chunk: Buffer) => {
      for (const f of splitter.push(new Uint8Array(chunk))) {
        const { proc, type, status, error } = toReply(f);
        replies.push({ proc, type, status, error });
      }
    });
    s.on('error', () => {});
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ closed: false, replies });
    }, waitMs);
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, replies });
    });
  });
}

/** A connection that makes calls one at a time and awaits each reply. */
export class RawClient {
  private serial = 0;
  private readonly splitter = new FrameSplitter();
  private readonly waiting = new Map<number, (r: Reply & { payload: Uint8Array }) => void>();
  private failure?: Error;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.splitter.push(new Uint8Array(chunk))) {
        const r = toReply(f);
        if (r.type !== MessageType.REPLY) continue;
        this.waiting.get(r.serial)?.(r);
        this.waiting.delete(r.serial);
      }
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const w of this.waiting.values()) w({ proc: -1, type: -1, status: -1, payload: new Uint8Array() });
      this.waiting.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** The encoded call this client would send next (its serial is consumed). */
  frame(proc: number, payload?: Uint8Array): Uint8Array {
    return encodePacket(
      {
        prog: REMOTE_PROGRAM,
        vers: 1,
        proc,
        type: MessageType.CALL,
        serial: ++this.serial,
        status: MessageStatus.OK,
      } as never,
      payload,
    );
  }

  async call(proc: number, payload?: Uint8Array): Promise<Reply & { payload: Uint8Array }> {
    if (this.failure) throw this.failure;
    const bytes = this.frame(proc, payload);
    const reply = new Promise<Reply & { payload: Uint8Array }>((resolve) => this.waiting.set(this.serial, resolve));
    this.socket.write(bytes);
    const r = await reply;
    if (r.type === -1) throw this.failure ?? new Error('connection failed');
    return r;
  }

  close(): void {
    this.socket.destroy();
  }
}
