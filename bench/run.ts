/**
 * `pnpm -s bench`: the same workload through tsvirt (@tsvirt/core + @tsvirt/driver-test, the
 * built packages) and through libvirt's own test driver (python3-libvirt), in one run.
 * Prints ops/s for both and the ratio tsvirt / libvirt (above 1.0: tsvirt is faster).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { removeTsvirtdDir, startTsvirtd } from '../tests/daemon/tsvirtd.js';
import { libvirtdUnavailable, startLibvirtd } from '../tests/remote/libvirtd.js';
import { DOMAIN_XML_TEMPLATE, type WorkloadTimes } from './shared.js';
import { runTsvirtWorkload } from './workload.js';

const PYTHON = process.env.LIBVIRT_PYTHON ?? '/usr/bin/python3';
const SIZES = (process.env.BENCH_SIZES ?? '2000,10000').split(',').map(Number);
const WIRE_SIZES = (process.env.BENCH_WIRE_SIZES ?? '2000').split(',').map(Number);
const LATENCY_CLIENTS = Number(process.env.BENCH_LATENCY_CLIENTS ?? 100);
const LATENCY_CALLS = Number(process.env.BENCH_LATENCY_CALLS ?? 200);
/** Rounds of the wire benchmarks, alternating the two daemons; medians are printed (the machine may be shared). */
const WIRE_ROUNDS = Math.max(1, Number(process.env.BENCH_WIRE_ROUNDS ?? 5));

interface Latency {
  clients: number;
  calls: number;
  p50: number;
  p99: number;
  max: number;
  wallMs: number;
}

/** Call latencies with many concurrent python3-libvirt clients (one process each) against `uri`. */
function runLatency(uri: string): Latency {
  const script = fileURLToPath(new URL('./latency_workload.py', import.meta.url));
  const r = spawnSync(PYTHON, [script, String(LATENCY_CLIENTS), String(LATENCY_CALLS), uri], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`latency workload failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Latency;
}

function runLibvirt(n: number, uri?: string): WorkloadTimes {
  const script = fileURLToPath(new URL('./libvirt_workload.py', import.meta.url));
  const r = spawnSync(PYTHON, [script, String(n), ...(uri ? [uri] : [])], {
    input: DOMAIN_XML_TEMPLATE,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`libvirt workload failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as WorkloadTimes;
}

const pad = (s: string, w: number) => s.padStart(w);
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);

async function main(): Promise<void> {
  console.log(`${'phase'.padEnd(22)}${pad('N', 7)}${pad('tsvirt', 16)}${pad('libvirt', 16)}${pad('ratio', 8)}`);
  // Warm the JIT up with a few full runs first, as a long-running client or daemon is warm;
  // libvirt's compiled C needs no such step.
  for (let i = 0; i < 3; i++) await runTsvirtWorkload(2000);
  for (const n of SIZES) {
    const ours = await runTsvirtWorkload(n);
    const theirs = runLibvirt(n);
    const row = (label: string, a: number, b: number, unit: 'ops' | 'ms') => {
      const [x, y] =
        unit === 'ops' ? [`${rate(n, a)}/s`, `${rate(n, b)}/s`] : [`${a.toFixed(1)} ms`, `${b.toFixed(1)} ms`];
      console.log(`${label.padEnd(22)}${pad(String(n), 7)}${pad(x, 16)}${pad(y, 16)}${pad((b / a).toFixed(2), 8)}`);
    };
    row('define', ours.define, theirs.define, 'ops');
    row('lookup+dumpxml', ours.lookupDumpxml, theirs.lookupDumpxml, 'ops');
    row('listAllDomains', ours.listAll, theirs.listAll, 'ms');
    row('undefine', ours.undefine, theirs.undefine, 'ops');
  }
  await wire();
}

/**
 * The same python3-libvirt workload over TCP: against tsvirtd (built, test driver behind it) and
 * against the real libvirtd (its test driver), both on 127.0.0.1. Needs root (libvirtd runs as
 * nobody through setpriv); skipped with a note otherwise. Ratio above 1.0: tsvirtd is faster.
 * tsvirtd runs with its defaults; the rows of a second tsvirtd with busy polling turned off
 * follow, measured in the same rounds.
 */
async function wire(): Promise<void> {
  const why = libvirtdUnavailable();
  if (why) {
    console.log(`\nwire benchmark skipped: ${why}`);
    return;
  }
  const loadBefore = loadAverage();
  const ours = await startTsvirtd([], true);
  // The same daemon sleeping as soon as it has replied, to show what its busy polling buys.
  const oursNoPoll = await startTsvirtd(['busy_poll_us = 0'], true);
  const theirs = await startLibvirtd();
  try {
    console.log(
      `\n${'over TCP (python)'.padEnd(22)}${pad('N', 7)}${pad('tsvirtd', 16)}${pad('libvirtd', 16)}${pad('ratio', 8)}   (medians of ${WIRE_ROUNDS} alternating rounds; range tsvirtd / libvirtd)`,
    );
    // Warm the daemon's JIT up as the in-process side is (a long-running daemon is warm).
    for (let i = 0; i < 3; i++) {
      runLibvirt(2000, ours.tcpUri());
      runLibvirt(2000, oursNoPoll.tcpUri());
    }
    for (const n of WIRE_SIZES) {
      const a: WorkloadTimes[] = [];
      const aNoPoll: WorkloadTimes[] = [];
      const b: WorkloadTimes[] = [];
      for (let r = 0; r < WIRE_ROUNDS; r++) {
        // Rotate which daemon goes first, so that a change of load hits them alike.
        const order = [
          () => a.push(runLibvirt(n, ours.tcpUri())),
          () => b.push(runLibvirt(n, theirs.tcpUri())),
          () => aNoPoll.push(runLibvirt(n, oursNoPoll.tcpUri())),
        ];
        for (let i = 0; i < order.length; i++) order[(r + i) % order.length]!();
      }
      const rows = (ts: WorkloadTimes[]) => {
        const row = (label: string, key: keyof WorkloadTimes) => {
          const x = median(ts.map((t) => t[key]));
          const y = median(b.map((t) => t[key]));
          const spread = (runs: WorkloadTimes[]) => {
            const rates = runs.map((t) => rate(n, t[key]));
            return `${Math.min(...rates)}–${Math.max(...rates)}`;
          };
          console.log(
            `${label.padEnd(22)}${pad(String(n), 7)}${pad(`${rate(n, x)}/s`, 16)}${pad(`${rate(n, y)}/s`, 16)}${pad((y / x).toFixed(2), 8)}   range ${spread(ts)} / ${spread(b)}`,
          );
        };
        row('define', 'define');
        row('lookup+dumpxml', 'lookupDumpxml');
        row('undefine', 'undefine');
      };
      rows(a);
      console.log('tsvirtd with busy_poll_us = 0 (sleeps as soon as it has replied):');
      rows(aNoPoll);
    }
    const la: Latency[] = [];
    const lb: Latency[] = [];
    for (let r = 0; r < Math.min(WIRE_ROUNDS, 3); r++) {
      la.push(runLatency(ours.tcpUri()));
      lb.push(runLatency(theirs.tcpUri()));
    }
    latency(medianLatency(la), medianLatency(lb));
    console.log(`\nload average ${loadBefore} before the wire runs, ${loadAverage()} after`);
  } finally {
    for (const daemon of [ours, oursNoPoll]) {
      await daemon.stop();
      await removeTsvirtdDir(daemon);
    }
    await theirs.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Each latency figure's median over the rounds. */
function medianLatency(ls: Latency[]): Latency {
  const pick = (k: keyof Latency) => median(ls.map((l) => l[k]));
  return {
    clients: ls[0]!.clients,
    calls: ls[0]!.calls,
    p50: pick('p50'),
    p99: pick('p99'),
    max: pick('max'),
    wallMs: pick('wallMs'),
  };
}

function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
}

/** Latency rows: lower is better, so the ratio is libvirtd / tsvirtd as above (above 1.0: tsvirtd is faster). */
function latency(a: Latency, b: Latency): void {
  console.log(
    `\n${`${a.clients} clients (python)`.padEnd(22)}${pad('calls', 7)}${pad('tsvirtd', 16)}${pad('libvirtd', 16)}${pad('ratio', 8)}`,
  );
  const row = (label: string, x: number, y: number) =>
    console.log(
      `${label.padEnd(22)}${pad(String(a.calls), 7)}${pad(`${x.toFixed(2)} ms`, 16)}${pad(`${y.toFixed(2)} ms`, 16)}${pad((y / x).toFixed(2), 8)}`,
    );
  row('p50 call latency', a.p50, b.p50);
  row('p99 call latency', a.p99, b.p99);
  row('max call latency', a.max, b.max);
  row('wall time', a.wallMs, b.wallMs);
}

main().catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
