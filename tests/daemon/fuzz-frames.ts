/**
 * Deterministic generators of hostile frames for the robustness tests: a seeded PRNG and a set
 * of mutations of valid calls (header fields, lengths, truncation, over-limit strings, garbage).
 * The same seed always yields the same bytes, so a failing case is reproduced from its label.
 */
import {
  encodePacket,
  MessageStatus,
  MessageType,
  Procedures,
  REMOTE_PROGRAM,
  STRING_MAX,
  XdrWriter,
} from '@tsvirt/remote';

/** mulberry32: small, fast, and good enough to spread mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzCase {
  label: string;
  bytes: Uint8Array;
  /** Whether libvirtd's answer can be expected to match ours byte for byte (no driver-specific text). */
  comparable: boolean;
}

type Header = { prog: number; vers: number; proc: number; type: number; serial: number; status: number };

function frame(h: Partial<Header>, payload?: Uint8Array): Uint8Array {
  return encodePacket(
    {
      prog: REMOTE_PROGRAM,
      vers: 1,
      proc: Procedures.CONNECT_SUPPORTS_FEATURE.proc,
      type: MessageType.CALL,
      serial: 1,
      status: MessageStatus.OK,
      ...h,
    } as never,
    payload,
  );
}

const openArgs = (name: string) => new XdrWriter().uint(1).string(name).uint(0).finish();

/** One mutation per kind, chosen and parameterised by `rand`. */
const KINDS: ((rand: () => number, int: (n: number) => number) => FuzzCase)[] = [
  (_r, int) => {
    const proc = 500 + int(1_000_000);
    return { label: `unknown procedure ${proc}`, bytes: frame({ proc }), comparable: true };
  },
  (_r, int) => {
    const prog = 0x20008087 + 1 + int(1000);
    return { label: `bad program ${prog}`, bytes: frame({ prog }), comparable: true };
  },
  (_r, int) => {
    const vers = 2 + int(100);
    return { label: `bad version ${vers}`, bytes: frame({ vers }), comparable: true };
  },
  (_r, int) => {
    const status = 1 + int(3);
    return { label: `call with status ${status}`, bytes: frame({ status }), comparable: true };
  },
  (_r, int) => {
    const type = 1 + int(8);
    return { label: `message type ${type}`, bytes: frame({ type }), comparable: true };
  },
  (_r, int) => {
    const len = 32 * 1024 * 1024 + 5 + int(1 << 30);
    return { label: `length word ${len} (over 32 MiB)`, bytes: new XdrWriter().uint(len).finish(), comparable: true };
  },
  (_r, int) => {
    const len = int(28);
    const b = new Uint8Array(28);
    new DataView(b.buffer).setUint32(0, len);
    return { label: `length word ${len} (under a header)`, bytes: b, comparable: true };
  },
  (_r, int) => {
    const full = frame({ proc: Procedures.CONNECT_OPEN.proc }, openArgs('test:///default'));
    const cut = 1 + int(full.byteLength - 2);
    return { label: `CONNECT_OPEN truncated to ${cut} bytes`, bytes: full.subarray(0, cut), comparable: true };
  },
  (_r, int) => {
    const n = STRING_MAX + 1 + int(1 << 20);
    const payload = new XdrWriter().uint(1).uint(n).finish();
    return {
      label: `CONNECT_OPEN name length ${n} (over 4 MiB)`,
      bytes: frame({ proc: 1 }, payload),
      comparable: true,
    };
  },
  (_r, int) => {
    // A claimed string length within the limit but beyond the frame's end.
    const n = 1000 + int(100_000);
    const payload = new XdrWriter().uint(1).uint(n).finish();
    return {
      label: `CONNECT_OPEN name length ${n} past the payload`,
      bytes: frame({ proc: 1 }, payload),
      comparable: true,
    };
  },
  (rand, int) => {
    const g = new Uint8Array(4 + int(200));
    for (let i = 0; i < g.length; i++) g[i] = Math.floor(rand() * 256);
    new DataView(g.buffer).setUint32(0, g.length);
    // Keep the header's program/type random: most land as unknown programs or dropped types.
    return { label: `${g.length} bytes of garbage with a matching length`, bytes: g, comparable: false };
  },
  (rand, int) => {
    // A valid header followed by garbage args for a real procedure.
    // ...including issue 5's: memory, stats (typed parameters), hot-plug, save, network update and leases, rename.
    const procs = [
      1, 3, 7, 14, 23, 60, 66, 273, 30, 31, 54, 55, 64, 65, 160, 204, 232, 243, 275, 291, 341, 358, 404, 405, 406, 409,
      410,
    ];
    const proc = procs[int(procs.length)]!;
    const g = new Uint8Array(int(64));
    for (let i = 0; i < g.length; i++) g[i] = Math.floor(rand() * 256);
    return {
      label: `proc ${proc} with ${g.length} garbage bytes of args`,
      bytes: frame({ proc }, g),
      comparable: false,
    };
  },
  (_r, int) => {
    // CALL_WITH_FDS: no count, a count of 0, or descriptors that cannot come over TCP.
    const variant = int(3);
    const payload = [undefined, new XdrWriter().uint(0).int(10).finish(), new XdrWriter().uint(1 + int(40)).finish()][
      variant
    ];
    return { label: `CALL_WITH_FDS variant ${variant}`, bytes: frame({ type: 4 }, payload), comparable: true };
  },
  (_r, int) => {
    // CONNECT_SUPPORTS_FEATURE before CONNECT_OPEN: only the keepalive question is answered.
    const feature = int(16);
    return {
      label: `CONNECT_SUPPORTS_FEATURE ${feature} before open`,
      bytes: frame({}, new XdrWriter().int(feature).finish()),
      comparable: true,
    };
  },
  (_r, int) => {
    // libvirt's qemu program: an unknown procedure of it, or its monitor command before CONNECT_OPEN.
    const proc = int(2) === 0 ? 2 + int(1000) : 1;
    return { label: `qemu program procedure ${proc}`, bytes: frame({ prog: 0x20008087, proc }), comparable: true };
  },
  (rand, int) => {
    // One byte of a valid CONNECT_OPEN flipped.
    const full = frame({ proc: 1 }, openArgs('test:///default'));
    const at = int(full.byteLength);
    full[at]! ^= 1 << int(8);
    void rand;
    return { label: `CONNECT_OPEN with byte ${at} flipped`, bytes: full, comparable: false };
  },
  (_r, int) => {
    // Stream traffic (data, finish, abort, odd statuses, holes, up to 300 KiB) for no open
    // stream: libvirtd drops it without an answer.
    const proc = [201, 208, 209][int(3)]!;
    const type = int(4) === 0 ? 6 : MessageType.STREAM;
    const status = int(4);
    const size = int(2) === 0 ? int(64) : int(300 * 1024);
    return {
      label: `stream type ${type} proc ${proc} status ${status} with ${size} bytes, no stream open`,
      bytes: frame({ type, proc, status, serial: 1 + int(1 << 30) }, new Uint8Array(size)),
      comparable: true,
    };
  },
];

/** `count` cases from `seed`: each kind in turn, parameterised by the PRNG. */
export function fuzzCases(seed: number, count: number): FuzzCase[] {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const out: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const c = KINDS[i % KINDS.length]!(rand, int);
    out.push({ ...c, label: `seed ${seed} #${i}: ${c.label}` });
  }
  return out;
}
