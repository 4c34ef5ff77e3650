/**
 * A byte-level client for stream tests: opens a connection and a stream with ordinary calls, then
 * sends hand-made STREAM packets (any type, status, serial, size) and records every packet the
 * daemon sends back, and whether it closed the connection.
 */
import { connect as netConnect, type Socket } from 'node:net';
import {
  decodeRawPacket,
  encodePacket,
  FrameSplitter,
  MessageStatus,
  MessageType,
  type ProcedureDef,
  Procedures,
  REMOTE_PROGRAM,
  readRemoteError,
  remoteErrorToVirError,
  StreamProcedures,
  XdrReader,
  XdrWriter,
} from '@tsvirt/remote';

export interface Seen {
  proc: number;
  type: number;
  serial: number;
  status: number;
  payload: Uint8Array;
  error?: { code: number; domain: number; message: string };
}

export class StreamProbe {
  readonly seen: Seen[] = [];
  closed = false;
  private serial = 0;
  private readonly splitter = new FrameSplitter();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.splitter.push(new Uint8Array(chunk))) {
        const { header, payload } = decodeRawPacket(f);
        let error: Seen['error'];
        if (header.status === MessageStatus.ERROR && payload.byteLength > 0) {
          const e = remoteErrorToVirError(readRemoteError(new XdrReader(payload)));
          error = { code: e.code, domain: e.domain, message: e.message };
        }
        this.seen.push({ ...header, payload, error });
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static open(port: number): Promise<StreamProbe> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(new StreamProbe(s)));
      s.once('error', reject);
    });
  }

  /** Wait until a packet matching `pred` arrived after index `from` (or the connection closed). */
  async waitFor(pred: (p: Seen) => boolean, from = 0, ms = 10_000): Promise<Seen | undefined> {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      const hit = this.seen.slice(from).find(pred);
      if (hit) return hit;
      if (this.closed) return undefined;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  }

  /** Send a CALL with a codec from the shared tables; resolves with its REPLY. */
  async call<A>(def: ProcedureDef<A, unknown>, args: A): Promise<Seen & { serial: number }> {
    const serial = ++this.serial;
    const w = new XdrWriter();
    def.args.write(w, args);
    const from = this.seen.length;
    this.socket.write(
      encodePacket(
        { prog: REMOTE_PROGRAM, vers: 1, proc: def.proc, type: MessageType.CALL, serial, status: MessageStatus.OK },
        w.finish(),
      ),
    );
    const r = await this.waitFor((p) => p.type === MessageType.REPLY && p.serial === serial, from);
    if (!r) throw new Error(`no reply to procedure ${def.proc}`);
    return r;
  }

  /** CONNECT_OPEN, then DOMAIN_OPEN_CONSOLE on `name` (flags 1: FORCE); answers the console stream's serial. */
  async openConsole(uri: string, name: string, flags = 0): Promise<number> {
    await this.call(Procedures.CONNECT_OPEN, { name: uri, flags: 0 });
    const looked = await this.call(Procedures.DOMAIN_LOOKUP_BY_NAME, name);
    const dom = Procedures.DOMAIN_LOOKUP_BY_NAME.ret.read(new XdrReader(looked.payload));
    const opened = await this.call(StreamProcedures.DOMAIN_OPEN_CONSOLE, { dom, devName: undefined, flags });
    if (opened.status !== MessageStatus.OK) throw new Error(`console did not open: ${opened.error?.message}`);
    return opened.serial;
  }

  /** A raw STREAM-type packet (type 3, or 6 for a hole) on the console procedure. */
  sendStream(serial: number, status: number, payload?: Uint8Array, type: number = MessageType.STREAM): void {
    this.socket.write(
      encodePacket(
        {
          prog: REMOTE_PROGRAM,
          vers: 1,
          proc: StreamProcedures.DOMAIN_OPEN_CONSOLE.proc,
          type: type as never,
          serial,
          status: status as never,
        },
        payload,
      ),
    );
  }

  close(): void {
    this.socket.destroy();
  }
}
