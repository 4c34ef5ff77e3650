/**
 * `pnpm -s bench:qemu`: how long `start` takes for a diskless TCG guest, from the call until
 * the guest runs, beside (a) the physical floor: a bare `qemu-system-x86_64 -S` spawn until its
 * QMP monitor answers qmp_capabilities, and (b) real libvirtd's qemu:///session start of the
 * same XML (python3-libvirt createXML), in one run. Prints the medians and the ratios.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@tsvirt/core';
import { startLibvirtd } from '../tests/remote/libvirtd.js';

const QEMU = '/usr/bin/qemu-system-x86_64';
const PYTHON = process.env.LIBVIRT_PYTHON ?? '/usr/bin/python3';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const domainXml = (name: string) => `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>${QEMU}</emulator>
    <serial type='pty'/>
    <console type='pty'/>
  </devices>
</domain>`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Spawn QEMU stopped and wait until its monitor has answered the capabilities handshake. */
async function bareSpawnOnce(dir: string): Promise<number> {
  const sock = join(dir, 'bare.sock');
  rmSync(sock, { force: true });
  const t0 = performance.now();
  const child = spawn(
    QEMU,
    [
      '-machine',
      'pc,accel=tcg',
      '-m',
      '64',
      '-nographic',
      '-nodefaults',
      '-no-user-config',
      '-S',
      '-qmp',
      `unix:${sock},server=on,wait=off`,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      const done = await new Promise<boolean>((resolve) => {
        const s = netConnect(sock);
        let buf = '';
        s.on('error', () => resolve(false));
        s.on('data', (d) => {
          buf += d.toString();
          if (buf.includes('"QMP"') && !buf.includes('"return"')) {
            s.write('{"execute":"qmp_capabilities"}\n');
            buf = buf.replace('"QMP"', '');
          }
          if (buf.includes('"return"')) {
            s.destroy();
            resolve(true);
          }
        });
      });
      if (done) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function tsvirtStarts(dir: string): Promise<number[]> {
  const conn = await connect(`qemu:///embed?root=${dir}`);
  const times: number[] = [];
  try {
    // One start first so the capabilities probe (cached afterwards) is not timed.
    await (await conn.createDomainXml(domainXml('warm'))).destroy();
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const dom = await conn.createDomainXml(domainXml(`bench${i}`));
      times.push(performance.now() - t0);
      await dom.destroy();
    }
  } finally {
    await conn.close();
  }
  return times;
}

async function libvirtStarts(): Promise<number[]> {
  const daemon = await startLibvirtd();
  try {
    const uri = daemon.tcpUri('/session').replace(/^test\+/, 'qemu+');
    const script = fileURLToPath(new URL('./qemu_start.py', import.meta.url));
    const warm = spawnSync(PYTHON, [script, uri, '1'], { input: domainXml('warm'), encoding: 'utf8' });
    if (warm.status !== 0) throw new Error(`libvirt start failed: ${warm.stderr}`);
    const r = spawnSync(PYTHON, [script, uri, String(ROUNDS)], { input: domainXml('bench'), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`libvirt start failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as number[];
  } finally {
    await daemon.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-bench-qemu-'));
  try {
    await bareSpawnOnce(dir);
    const bare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) bare.push(await bareSpawnOnce(dir));
    const ours = await tsvirtStarts(join(dir, 'embed'));
    const theirs = await libvirtStarts();
    const [b, o, l] = [median(bare), median(ours), median(theirs)];
    console.log(`start of a diskless TCG guest, median of ${ROUNDS}:`);
    console.log(`  bare qemu -S spawn to QMP ready  ${b.toFixed(1).padStart(8)} ms`);
    console.log(
      `  tsvirt start (qemu:///embed)     ${o.toFixed(1).padStart(8)} ms   (+${(o - b).toFixed(1)} ms over bare)`,
    );
    console.log(`  libvirtd 9.0 (qemu:///session)   ${l.toFixed(1).padStart(8)} ms`);
    console.log(`  tsvirt / libvirt                 ${(o / l).toFixed(2).padStart(8)}    (target <= 0.50)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
