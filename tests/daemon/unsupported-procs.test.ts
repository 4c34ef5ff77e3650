/**
 * Procedures of libvirt 9.0's remote program whose API tsvirt does not implement: tsvirtd knows
 * them by number (packages/remote/src/protocol/remote-apis.ts) and answers as libvirtd answers
 * when its driver lacks the API. The reply frames are compared byte for byte with the real
 * libvirtd's (when it can be started here); event procedures and numbers outside the protocol
 * stay "unknown procedure" in both.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { ErrorCode, ErrorDomain } from '@tsvirt/core';
import {
  ConnectOpenFlags,
  decodeRawPacket,
  encodePacket,
  FrameSplitter,
  MessageStatus,
  MessageType,
  QEMU_PROGRAM,
  REMOTE_PROGRAM,
  RemoteProcedureApis,
  readRemoteError,
  remoteErrorToVirError,
  XdrReader,
  XdrWriter,
} from '@tsvirt/remote';
import { describe, expect, it } from 'vitest';
import { libvirtdUnavailable } from '../remote/libvirtd.js';
import { daemonPairForSuite } from './daemon-pair.js';

let serial = 1;
function call(proc: number, payload?: Uint8Array, prog = REMOTE_PROGRAM): Uint8Array {
  return encodePacket(
    { prog, vers: 1, proc, type: MessageType.CALL, serial: serial++, status: MessageStatus.OK } as never,
    payload,
  );
}

function open(flags = 0): Uint8Array {
  return call(1, new XdrWriter().uint(1).string('test:///default').uint(flags).finish());
}

/** remote_nonnull_domain "test" (the daemon looks nothing up before the API) plus `flags`. */
function domFlags(...words: number[]): Uint8Array {
  const w = new XdrWriter().string('test');
  for (let i = 0; i < 4; i++) w.uint(0);
  w.int(-1);
  for (const x of words) w.uint(x);
  return w.finish();
}

const ints = (...words: number[]) => {
  const w = new XdrWriter();
  for (const x of words) w.int(x);
  return w.finish();
};

/**
 * Send the frames on a fresh connection, each once the previous one is answered (libvirtd runs
 * calls in parallel worker threads: a call sent with CONNECT_OPEN may run before it); the reply
 * frames as hex.
 */
function replies(port: number, frames: Uint8Array[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const out: string[] = [];
    const splitter = new FrameSplitter();
    const s: Socket = netConnect({ host: '127.0.0.1', port }, () => s.write(frames[0]!));
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`only ${out.length} of ${frames.length} replies`));
    }, 3000);
    s.on('data', (chunk: Buffer) => {
      for (const f of splitter.push(new Uint8Array(chunk))) {
        out.push(Buffer.from(f).toString('hex'));
        if (out.length < frames.length) s.write(frames[out.length]!);
      }
      if (out.length >= frames.length) {
        clearTimeout(timer);
        s.destroy();
        resolve(out);
      }
    });
    s.on('error', reject);
  });
}

function errorOf(hex: string) {
  const { header, payload } = decodeRawPacket(new Uint8Array(Buffer.from(hex, 'hex')));
  if (header.status !== MessageStatus.ERROR) return { proc: header.proc, ok: true };
  const e = remoteErrorToVirError(readRemoteError(new XdrReader(payload)));
  return { proc: header.proc, code: e.code, domain: e.domain, message: e.message };
}

// Each case: what is sent after (or without) CONNECT_OPEN, and the answer spelled out.
const CASES: {
  label: string;
  frames: () => Uint8Array[];
  expected: { code: number; domain: number; message: string };
}[] = [
  {
    label: 'NODE_GET_MEMORY_STATS (228)',
    frames: () => [open(), call(228, ints(0, -1, 0))],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.DOMAIN,
      message: 'this function is not supported by the connection driver: virNodeGetMemoryStats',
    },
  },
  {
    label: 'DOMAIN_GET_JOB_INFO (163)',
    frames: () => [open(), call(163, domFlags())],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.DOMAIN,
      message: 'this function is not supported by the connection driver: virDomainGetJobInfo',
    },
  },
  {
    label: 'CONNECT_NUM_OF_SECRETS (139), in the secret module’s domain',
    frames: () => [open(), call(139)],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.SECRET,
      message: 'this function is not supported by the connection driver: virConnectNumOfSecrets',
    },
  },
  {
    label: 'CONNECT_NUM_OF_NWFILTERS (178)',
    frames: () => [open(), call(178)],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.NWFILTER,
      message: 'this function is not supported by the connection driver: virConnectNumOfNWFilters',
    },
  },
  {
    label: 'CONNECT_GET_STORAGE_POOL_CAPABILITIES (403)',
    frames: () => [open(), call(403, ints(0))],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.STORAGE,
      message: 'this function is not supported by the connection driver: virConnectGetStoragePoolCapabilities',
    },
  },
  {
    label: 'DOMAIN_START_DIRTY_RATE_CALC (427) on a read-write connection',
    frames: () => [open(), call(427, domFlags(1, 0))],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.DOMAIN,
      message: 'this function is not supported by the connection driver: virDomainStartDirtyRateCalc',
    },
  },
  {
    label: 'DOMAIN_START_DIRTY_RATE_CALC (427) on a read-only connection',
    frames: () => [open(ConnectOpenFlags.RO), call(427, domFlags(1, 0))],
    expected: {
      code: ErrorCode.OPERATION_DENIED,
      domain: ErrorDomain.DOMAIN,
      message: 'operation forbidden: read only access prevents virDomainStartDirtyRateCalc',
    },
  },
  {
    label: 'NODE_GET_SEV_INFO (395) on a read-only connection',
    frames: () => [open(ConnectOpenFlags.RO), call(395, ints(0, 0))],
    expected: {
      code: ErrorCode.OPERATION_DENIED,
      domain: ErrorDomain.DOMAIN,
      message: 'operation forbidden: read only access prevents virNodeGetSEVInfo',
    },
  },
  {
    label: 'qemu program DOMAIN_AGENT_COMMAND (3) on the test driver',
    frames: () => [
      open(),
      call(3, new Uint8Array([...domFlags(), ...new XdrWriter().string('{}').int(5).uint(0).finish()]), QEMU_PROGRAM),
    ],
    expected: {
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.NONE,
      message: 'this function is not supported by the connection driver: virDomainQemuAgentCommand',
    },
  },
  {
    label: 'NODE_GET_MEMORY_STATS (228) before CONNECT_OPEN',
    frames: () => [call(228, ints(0, -1, 0))],
    expected: {
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.RPC,
      message: 'internal error: hypervisor connection not open',
    },
  },
  {
    label: 'CONNECT_NUM_OF_SECRETS (139) before CONNECT_OPEN (a secondary driver)',
    frames: () => [call(139)],
    expected: {
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.RPC,
      message: 'internal error: connection not open',
    },
  },
  {
    label: 'NODE_NUM_OF_DEVICES (111) before CONNECT_OPEN (a secondary driver)',
    frames: () => [call(111, ints(0, 0))],
    expected: {
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.RPC,
      message: 'internal error: connection not open',
    },
  },
  {
    label: 'NODE_GET_MEMORY_STATS (228) with args too short to decode, before CONNECT_OPEN',
    frames: () => [call(228, ints(0))],
    expected: { code: ErrorCode.RPC, domain: ErrorDomain.RPC, message: 'Unable to decode message payload' },
  },
  {
    label: 'DOMAIN_GET_JOB_INFO (163) without args',
    frames: () => [open(), call(163)],
    expected: { code: ErrorCode.RPC, domain: ErrorDomain.RPC, message: 'Unable to decode message payload' },
  },
  {
    label: 'qemu program DOMAIN_ATTACH (2) without args',
    frames: () => [open(), call(2, undefined, QEMU_PROGRAM)],
    expected: { code: ErrorCode.RPC, domain: ErrorDomain.RPC, message: 'Unable to decode message payload' },
  },
  {
    label: 'an event procedure (DOMAIN_EVENT_LIFECYCLE, 107) called',
    frames: () => [open(), call(107, domFlags(0, 0))],
    expected: { code: ErrorCode.RPC, domain: ErrorDomain.RPC, message: 'unknown procedure: 107' },
  },
  {
    label: 'the first number after libvirt 9.0’s protocol (444)',
    frames: () => [open(), call(444)],
    expected: { code: ErrorCode.RPC, domain: ErrorDomain.RPC, message: 'unknown procedure: 444' },
  },
];

const noLibvirtd = libvirtdUnavailable();
if (noLibvirtd) console.warn(`[tests/daemon] not comparing with libvirtd: ${noLibvirtd}`);

describe('procedures tsvirt knows only by number', () => {
  const daemons = daemonPairForSuite();

  it('the table covers libvirt 9.0: the 443rd procedure is its last', () => {
    expect(RemoteProcedureApis.get(443)?.api).toBe('virDomainFDAssociate');
    expect(RemoteProcedureApis.has(444)).toBe(false);
    expect(RemoteProcedureApis.get(228)).toEqual({
      api: 'virNodeGetMemoryStats',
      domain: ErrorDomain.DOMAIN,
      refusesReadOnly: false,
      secondary: false,
      minArgsSize: 12,
    });
  });

  for (const c of CASES) {
    it(`${c.label}: ${c.expected.message}`, async () => {
      serial = 1;
      const frames = c.frames();
      const ours = await replies(daemons.ours.port, frames);
      expect(errorOf(ours.at(-1)!)).toEqual({ proc: errorOf(ours.at(-1)!).proc, ...c.expected });
      if (daemons.theirs) {
        const theirs = await replies(daemons.theirs.port, frames);
        expect(ours).toEqual(theirs);
      }
    });
  }
});
