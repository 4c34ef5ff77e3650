/**
 * Robustness of the XDR decoder and of tsvirtd (issue 5 item 5): seeded fuzz frames answered
 * like the real libvirtd answers them (a sample is compared when libvirtd can run here), 1000
 * concurrent connections while a control client keeps working, and stalled clients (half a
 * frame, or never reading their replies) that neither block others nor grow the daemon's memory
 * without bound. Seeds are fixed: a failure names the case that reproduces it.
 */
import { readFileSync } from 'node:fs';
import { connect, ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { driver, MessageStatus, Procedures, XdrReader, XdrWriter } from '@tsvirt/remote';
import { describe, expect, it } from 'vitest';
import { libvirtdUnavailable } from '../remote/libvirtd.js';
import { daemonPairForSuite } from './daemon-pair.js';
import { fuzzCases, prng } from './fuzz-frames.js';
import { exchange, RawClient } from './raw-client.js';

const noLibvirtd = libvirtdUnavailable();
if (noLibvirtd) console.warn(`[tests/daemon] robustness: not comparing with libvirtd: ${noLibvirtd}`);

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

const openArgs = (name: string) => new XdrWriter().uint(1).string(name).uint(0).finish();
const listArgs = new XdrWriter().int(1).uint(0).finish();

describe('the XDR decoder on hostile bytes', () => {
  it('every procedure codec either decodes or fails with VIR_ERR_RPC (seeded random payloads)', () => {
    const rand = prng(20261128);
    let decoded = 0;
    let refused = 0;
    for (const [name, def] of Object.entries(Procedures)) {
      for (const codec of [def.args, def.ret]) {
        for (let i = 0; i < 60; i++) {
          const bytes = new Uint8Array(Math.floor(rand() * 96));
          for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
          // Now and then a huge count/length word up front, as an over-limit string or array would start.
          if (bytes.length >= 4 && rand() < 0.3) new DataView(bytes.buffer).setUint32(0, 0xffffff00 + i);
          try {
            codec.read(new XdrReader(bytes));
            decoded++;
          } catch (err) {
            if (!(err instanceof VirError) || err.code !== ErrorCode.RPC || err.domain !== ErrorDomain.RPC) {
              throw new Error(`${name}: unexpected failure on ${Buffer.from(bytes).toString('hex')}: ${err}`);
            }
            refused++;
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(decoded + refused).toBe(Object.keys(Procedures).length * 2 * 60);
  });

  it('an array over its limit is refused before any item is read', () => {
    const ret = Procedures.CONNECT_LIST_ALL_DOMAINS.ret;
    const over = new XdrWriter().uint(16385).finish();
    expect(() => ret.read(new XdrReader(over))).toThrow(/array length 16385 exceeds maximum 16384/);
    const authOver = new XdrWriter().uint(21).finish();
    expect(() => Procedures.AUTH_LIST.ret.read(new XdrReader(authOver))).toThrow(/exceeds maximum 20/);
  });
});

describe('tsvirtd under hostile and heavy load', () => {
  const daemons = daemonPairForSuite(['max_clients = 5000'], 30_000);

  it('a sample of fuzz frames is answered exactly as libvirtd answers it', async () => {
    const libvirtd = daemons.theirs;
    if (!libvirtd) return;
    const sample = fuzzCases(7, 70).filter((c) => c.comparable);
    const pairs = await inBatches(sample, 10, async (c) => {
      const [ours, theirs] = await Promise.all([
        exchange(daemons.ours.port, c.bytes),
        exchange(libvirtd.port, c.bytes),
      ]);
      return { label: c.label, ours, theirs };
    });
    for (const p of pairs) expect({ label: p.label, ...p.ours }).toEqual({ label: p.label, ...p.theirs });
    expect(daemons.ours.child.exitCode).toBeNull();
  }, 30_000);

  it('hundreds of seeded fuzz frames: no crash, well-formed answers, a control client unaffected', async () => {
    const control = await connect(daemons.ours.tcpUri(), { drivers: [driver] });
    try {
      const cases = fuzzCases(1, 390);
      const outcomes = await inBatches(cases, 65, (c) => exchange(daemons.ours.port, c.bytes, 250));
      outcomes.forEach((o, i) => {
        for (const r of o.replies) {
          // Every answer is a reply to a call, carrying an error or a result, never junk.
          expect([MessageStatus.OK, MessageStatus.ERROR], cases[i]!.label).toContain(r.status);
          if (r.error) expect(r.error.message, cases[i]!.label).not.toBe('');
        }
      });
      expect(daemons.ours.child.exitCode).toBeNull();
      expect((await control.listAllDomains()).map((d) => d.getName())).toEqual(['test']);
    } finally {
      await control.close();
    }
  }, 30_000);

  it('1000 concurrent connections each open, list and close while a control client keeps working', async () => {
    const control = await connect(daemons.ours.tcpUri(), { drivers: [driver] });
    let controlCalls = 0;
    let stop = false;
    const controlLoop = (async () => {
      while (!stop) {
        const started = Date.now();
        await control.listAllDomains();
        // Generous: two shared cores, 1000 clients ahead in the queue.
        expect(Date.now() - started).toBeLessThan(10_000);
        controlCalls++;
      }
    })();
    try {
      const clients = await Promise.all(Array.from({ length: 1000 }, () => RawClient.open(daemons.ours.port)));
      const results = await Promise.all(
        clients.map(async (c) => {
          const open = await c.call(Procedures.CONNECT_OPEN.proc, openArgs('test:///default'));
          const list = await c.call(Procedures.CONNECT_LIST_ALL_DOMAINS.proc, listArgs);
          const names = Procedures.CONNECT_LIST_ALL_DOMAINS.ret
            .read(new XdrReader(list.payload))
            .items.map((d) => d.name);
          const close = await c.call(Procedures.CONNECT_CLOSE.proc);
          c.close();
          return { open: open.status, names, close: close.status };
        }),
      );
      for (const r of results) expect(r).toEqual({ open: MessageStatus.OK, names: ['test'], close: MessageStatus.OK });
    } finally {
      stop = true;
      await controlLoop;
      await control.close();
    }
    expect(controlCalls).toBeGreaterThan(0);
    expect(daemons.ours.child.exitCode).toBeNull();
  }, 60_000);

  it('stalled clients (half a frame, or never reading) block nobody and keep memory bounded', async () => {
    const pid = daemons.ours.child.pid!;
    const before = rssKiB(pid);
    // 50 clients that send half a frame and then nothing.
    const halves = await Promise.all(Array.from({ length: 50 }, () => RawClient.open(daemons.ours.port)));
    for (const h of halves)
      h.socket.write(h.frame(Procedures.CONNECT_OPEN.proc, openArgs('test:///default')).subarray(0, 20));
    // 10 clients that open, then ask for the capabilities XML 20000 times each and never read a reply.
    const readers = await Promise.all(Array.from({ length: 10 }, () => RawClient.open(daemons.ours.port)));
    let queued = 0;
    for (const r of readers) {
      await r.call(Procedures.CONNECT_OPEN.proc, openArgs('test:///default'));
      r.socket.pause();
      const calls: Uint8Array[] = [];
      for (let i = 0; i < 20_000; i++) calls.push(r.frame(Procedures.CONNECT_GET_CAPABILITIES.proc));
      r.socket.write(Buffer.concat(calls));
      queued += 20_000;
    }
    const capsBytes = (await (async () => {
      const c = await RawClient.open(daemons.ours.port);
      await c.call(Procedures.CONNECT_OPEN.proc, openArgs('test:///default'));
      const caps = await c.call(Procedures.CONNECT_GET_CAPABILITIES.proc);
      c.close();
      return caps.payload.byteLength;
    })()) as number;
    // Give the daemon time to do everything it is willing to do for them.
    await new Promise((r) => setTimeout(r, 3000));
    // Others are still served, promptly.
    const control = await connect(daemons.ours.tcpUri(), { drivers: [driver] });
    const started = Date.now();
    expect((await control.listAllDomains()).map((d) => d.getName())).toEqual(['test']);
    expect(Date.now() - started).toBeLessThan(2000);
    await control.close();
    const after = rssKiB(pid);
    const unboundedKiB = (queued * capsBytes) / 1024;
    console.log(
      `[robustness] tsvirtd RSS ${before} KiB before, ${after} KiB with stalled clients ` +
        `(answering every call would buffer ~${Math.round(unboundedKiB / 1024)} MiB)`,
    );
    // Generous bound: well under what buffering every reply would take.
    expect(after - before).toBeLessThan(Math.min(150 * 1024, unboundedKiB / 4));
    for (const c of [...halves, ...readers]) c.close();
    expect(daemons.ours.child.exitCode).toBeNull();
  }, 30_000);
});
