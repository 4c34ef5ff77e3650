/**
 * Hostile and malformed input to tsvirtd, answered as the real libvirtd 9.0 answers the same
 * bytes (when libvirtd can be started here: root, libvirt-daemon installed): the same error
 * (code, domain, message) or the same disconnect. tsvirtd never dies, and other clients keep
 * being served.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect, ErrorCode } from '@tsvirt/core';
import {
  decodeRawPacket,
  driver,
  encodePacket,
  FrameSplitter,
  KEEPALIVE_PROGRAM,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
  readRemoteError,
  remoteErrorToVirError,
  STRING_MAX,
  StreamProcedures,
  XdrReader,
  XdrWriter,
} from '@tsvirt/remote';
import { describe, expect, it } from 'vitest';
import { libvirtdUnavailable } from '../remote/libvirtd.js';
import { daemonPairForSuite } from './daemon-pair.js';

interface Outcome {
  /** The daemon closed the connection. */
  closed: boolean;
  /** Replies received, with the error they carry. */
  replies: { proc: number; type: number; status: number; error?: { code: number; domain: number; message: string } }[];
}

function call(
  o: Partial<{ prog: number; vers: number; proc: number; type: number; status: number }>,
  payload?: Uint8Array,
) {
  return encodePacket(
    {
      prog: REMOTE_PROGRAM,
      vers: 1,
      proc: 1,
      type: MessageType.CALL,
      serial: 7,
      status: MessageStatus.OK,
      ...o,
    } as never,
    payload,
  );
}

/** Send bytes on a fresh connection; collect replies until the peer closes or `waitMs` passes. */
function exchange(port: number, bytes: Uint8Array, waitMs = 700): Promise<Outcome> {
  return new Promise((resolve) => {
    const replies: Outcome['replies'] = [];
    const splitter = new FrameSplitter();
    const s: Socket = netConnect({ host: '127.0.0.1', port }, () => s.write(bytes));
    s.on('data', (chunk: Buffer) => {
      for (const f of splitter.push(new Uint8Array(chunk))) {
        const { header, payload } = decodeRawPacket(f);
        let error: Outcome['replies'][number]['error'];
        if (header.status === MessageStatus.ERROR) {
          const e = remoteErrorToVirError(readRemoteError(new XdrReader(payload)));
          error = { code: e.code, domain: e.domain, message: e.message };
        }
        replies.push({ proc: header.proc, type: header.type, status: header.status, error });
      }
    });
    s.on('error', () => {});
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ closed: false, replies });
    }, waitMs);
    s.on('close', () => {
      clearTimeout(timer);
      // Only the peer closes before the timer fires (the timer path resolves first).
      resolve({ closed: true, replies });
    });
  });
}

const garbage = (() => {
  const g = new Uint8Array(64);
  for (let i = 0; i < g.length; i++) g[i] = (i * 37 + 11) & 0xff;
  g.set([0, 0, 0, 64]);
  return g;
})();

/** remote_domain_open_console_args for a domain that does not exist. */
function domainArgs(): Uint8Array {
  const w = new XdrWriter();
  StreamProcedures.DOMAIN_OPEN_CONSOLE.args.write(w, {
    dom: { name: 'nosuch', uuid: '00000000-0000-0000-0000-000000000001', id: -1 },
    devName: undefined,
    flags: 0,
  });
  return w.finish();
}

/** remote_storage_vol_upload_args for a volume that does not exist. */
function volArgs(): Uint8Array {
  const w = new XdrWriter();
  StreamProcedures.STORAGE_VOL_UPLOAD.args.write(w, {
    vol: { pool: 'nosuch', name: 'nosuch', key: 'nosuch' },
    offset: 0,
    length: 0,
    flags: 0,
  });
  return w.finish();
}

/** A single remote_nonnull_string argument. */
function nameArgs(): Uint8Array {
  return new XdrWriter().string('default').finish();
}

/** remote_connect_list_all_*_args: need_results = 1, flags = 0. */
function listAllArgs(): Uint8Array {
  return new XdrWriter().int(1).uint(0).finish();
}

const CASES: [string, () => Uint8Array][] = [
  ['unknown procedure', () => call({ proc: 99999 })],
  ['procedure 0', () => call({ proc: 0 })],
  ['a call before CONNECT_OPEN', () => call({ proc: 3 })],
  ['bad program', () => call({ prog: 0x12345678 })],
  ['bad program version', () => call({ vers: 2 })],
  ['undecodable args', () => call({ proc: 1 }, new Uint8Array([0, 0, 0, 5]))],
  ['trailing bytes after the args', () => call({ proc: 66 }, new Uint8Array([0, 0, 0, 5]))],
  ['a string over 4 MiB', () => call({ proc: 23 }, new XdrWriter().uint(STRING_MAX + 1).finish())],
  ['a call with status ERROR', () => call({ status: MessageStatus.ERROR })],
  ['a REPLY sent by the client', () => call({ type: MessageType.REPLY })],
  ['a STREAM packet sent by the client', () => call({ type: MessageType.STREAM })],
  ['a STREAM_HOLE packet with no stream open', () => call({ type: 6, proc: 208 }, new Uint8Array(12))],
  [
    'a 300 KiB STREAM data packet (over the 256 KiB chunk) with no stream open',
    () => call({ type: MessageType.STREAM, proc: 201, status: MessageStatus.CONTINUE }, new Uint8Array(300 * 1024)),
  ],
  ['a STREAM abort with no stream open', () => call({ type: MessageType.STREAM, proc: 209, status: 1 })],
  ['a stream-opening call (DOMAIN_OPEN_CONSOLE) before CONNECT_OPEN', () => call({ proc: 201 }, domainArgs())],
  ['DOMAIN_OPEN_CONSOLE with undecodable args', () => call({ proc: 201 }, new Uint8Array([0, 0, 0, 9]))],
  ['STORAGE_VOL_UPLOAD before CONNECT_OPEN', () => call({ proc: 208 }, volArgs())],
  ['STORAGE_VOL_DOWNLOAD before CONNECT_OPEN', () => call({ proc: 209 }, volArgs())],
  // libvirtd words "not open" differently per driver behind the connection.
  ['NETWORK_LOOKUP_BY_NAME before CONNECT_OPEN', () => call({ proc: 46 }, nameArgs())],
  ['CONNECT_LIST_ALL_NETWORKS before CONNECT_OPEN', () => call({ proc: 283 }, listAllArgs())],
  ['STORAGE_POOL_LOOKUP_BY_NAME before CONNECT_OPEN', () => call({ proc: 84 }, nameArgs())],
  ['CONNECT_LIST_ALL_STORAGE_POOLS before CONNECT_OPEN', () => call({ proc: 281 }, listAllArgs())],
  ['CONNECT_LIST_ALL_DOMAINS before CONNECT_OPEN', () => call({ proc: 273 }, listAllArgs())],
  ['CONNECT_GET_HOSTNAME before CONNECT_OPEN', () => call({ proc: 59 })],
  ['an unknown message type', () => call({ type: 9 })],
  ['a length word under a header', () => new Uint8Array([0, 0, 0, 10, 1, 2, 3, 4, 5, 6])],
  ['a length word over 32 MiB', () => new XdrWriter().uint(0x7fffffff).finish()],
  ['a truncated frame', () => new Uint8Array([0, 0, 0, 40, 1, 2, 3, 4])],
  ['64 bytes of garbage', () => garbage],
  [
    'keepalive PING',
    () =>
      encodePacket({
        prog: KEEPALIVE_PROGRAM,
        vers: 1,
        proc: 1,
        type: MessageType.MESSAGE,
        serial: 0,
        status: MessageStatus.OK,
      }),
  ],
];

const noLibvirtd = libvirtdUnavailable();
if (noLibvirtd) console.warn(`[tests/daemon] not comparing with libvirtd: ${noLibvirtd}`);

describe('tsvirtd on bad frames', () => {
  const daemons = daemonPairForSuite();

  for (const [label, bytes] of CASES) {
    it(`${label}: answered like libvirtd, and the daemon keeps serving`, async () => {
      const ours = await exchange(daemons.ours.port, bytes());
      if (daemons.theirs) {
        const theirs = await exchange(daemons.theirs.port, bytes());
        expect(ours).toEqual(theirs);
      }
      expect(daemons.ours.child.exitCode).toBeNull();
    });
  }

  it('the expected answers, spelled out', async () => {
    const unknown = await exchange(daemons.ours.port, call({ proc: 99999 }));
    expect(unknown.replies).toEqual([
      {
        proc: 99999,
        type: MessageType.REPLY,
        status: MessageStatus.ERROR,
        error: { code: ErrorCode.RPC, domain: 7, message: 'unknown procedure: 99999' },
      },
    ]);
    const huge = await exchange(daemons.ours.port, new XdrWriter().uint(0x7fffffff).finish());
    expect(huge.replies).toEqual([]);
  });

  it('a client connected throughout keeps working while others send garbage', async () => {
    const c = await connect(daemons.ours.tcpUri(), { drivers: [driver] });
    try {
      for (const [, bytes] of CASES) await exchange(daemons.ours.port, bytes(), 100);
      expect((await c.listAllDomains()).map((d) => d.getName())).toEqual(['test']);
      expect(c.isAlive()).toBe(true);
    } finally {
      await c.close();
    }
  });
});
