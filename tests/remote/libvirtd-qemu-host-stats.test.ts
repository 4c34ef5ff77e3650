/**
 * Node statistics of the qemu driver on this machine: tsvirt's qemu:///embed (reading /proc and
 * /sys itself) against the real libvirtd 9.0's qemu:///session on the same host. CPU times grow
 * between the two reads, so they compare by field order and bounds; memory totals, the CPU map,
 * cell counts, CPU model names and every error compare exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, isVirError } from '@tsvirt/core';
import { driver as qemuDriver } from '@tsvirt/driver-qemu';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return await p;
  } catch (e) {
    return isVirError(e) ? { code: e.code, domain: e.domain, message: e.message } : String(e);
  }
}

describe.skipIf(unavailable !== undefined)('qemu node statistics: tsvirt vs libvirtd on this host', () => {
  let daemon: Libvirtd | undefined;
  let theirs: Connection;
  let ours: Connection;
  let root = '';
  beforeAll(async () => {
    daemon = await startLibvirtd();
    theirs = await connect(daemon.tcpUri('/session').replace(/^test\+/, 'qemu+'), { drivers: [driver] });
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-node-'));
    ours = await connect(`qemu:///embed?root=${root}`, { drivers: [qemuDriver] });
  }, 60_000);
  afterAll(async () => {
    await theirs?.close();
    await ours?.close();
    await daemon?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('CPU times: the same fields in the same order, ours read later and not smaller', async () => {
    for (const cpu of [-1, 0]) {
      const a = await theirs.getCpuStats(cpu);
      const b = await ours.getCpuStats(cpu);
      expect(b.map((s) => s.field)).toEqual(a.map((s) => s.field));
      for (const [i, s] of b.entries()) expect(s.value).toBeGreaterThanOrEqual(a[i]?.value ?? 0n);
    }
  });

  it('errors, memory totals, cells and the CPU map are identical', async () => {
    const calls: [string, (c: Connection) => Promise<unknown>][] = [
      ['cpu 4096', (c) => c.getCpuStats(4096)],
      ['cpu flags', (c) => c.getCpuStats(-1, 1)],
      ['mem flags', (c) => c.getMemoryStats(-1, 1)],
      ['mem cell 99', (c) => c.getMemoryStats(99)],
      ['cells from 99', (c) => c.getCellsFreeMemory(99, 1)],
      ['cells count', async (c) => (await c.getCellsFreeMemory(0, 64)).length],
      ['mem fields', async (c) => (await c.getMemoryStats()).map((s) => s.field)],
      ['mem total', async (c) => (await c.getMemoryStats()).find((s) => s.field === 'total')],
      [
        'cell 0 fields and total',
        async (c) => (await c.getMemoryStats(0)).map((s) => (s.field === 'free' ? 'free' : s)),
      ],
      ['cpu map', (c) => c.getCPUMap()],
      ['cpu map flags', (c) => c.getCPUMap(1)],
      ['cpu models x86_64', (c) => c.getCpuModelNames('x86_64')],
      ['cpu models ppc64le', (c) => c.getCpuModelNames('ppc64le')],
      ['cpu models aarch64', (c) => c.getCpuModelNames('aarch64')],
      ['cpu models sparc', (c) => c.getCpuModelNames('sparc')],
      ['cpu models nosuch', (c) => c.getCpuModelNames('nosuch')],
      ['cpu models flags', (c) => c.getCpuModelNames('x86_64', 1)],
    ];
    for (const [label, call] of calls) {
      expect({ label, v: await outcome(call(ours)) }).toEqual({ label, v: await outcome(call(theirs)) });
    }
  });
});
