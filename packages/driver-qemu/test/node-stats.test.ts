import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCode, isVirError } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIdList, qemuHostStats, qemuNodeCpuMap } from '../src/driver/node-stats.js';

const root = mkdtempSync(join(tmpdir(), 'qemu-host-root-'));
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
put('proc/stat', 'cpu  100 5 30 400 7 1 2 9 0 0\ncpu0 60 5 20 200 3 1 1 4 0 0\ncpu1 40 0 10 200 4 0 1 5 0 0\nintr 1\n');
put('proc/meminfo', 'MemTotal:  2000 kB\nMemFree:  500 kB\nMemAvailable: 900 kB\nBuffers:  30 kB\nCached:  200 kB\n');
put('sys/devices/system/node/online', '0-1\n');
put('sys/devices/system/node/node0/meminfo', 'Node 0 MemTotal:  1000 kB\nNode 0 MemFree:  300 kB\n');
put('sys/devices/system/node/node1/meminfo', 'Node 1 MemTotal:  1000 kB\nNode 1 MemFree:  200 kB\n');
put('sys/devices/system/cpu/present', '0-3\n');
put('sys/devices/system/cpu/online', '0,2-3\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isVirError(e)) return { code: e.code, message: e.message };
  }
  throw new Error('expected a VirError');
}

describe('qemu host statistics from a host root', () => {
  const host = qemuHostStats(root);

  it('turns proc/stat ticks into libvirt’s kernel/user/idle/iowait nanoseconds', async () => {
    expect(await host.getCpuStats?.(-1, 0)).toEqual([
      { field: 'kernel', value: 330_000_000n },
      { field: 'user', value: 1_050_000_000n },
      { field: 'idle', value: 4_000_000_000n },
      { field: 'iowait', value: 70_000_000n },
    ]);
    expect((await host.getCpuStats?.(1, 0))?.[1]).toEqual({ field: 'user', value: 400_000_000n });
    expect(await failure(host.getCpuStats?.(2, 0) as Promise<unknown>)).toEqual({
      code: ErrorCode.INVALID_ARG,
      message: 'Invalid cpuNum in virHostCPUGetStatsLinux',
    });
  });

  it('reads memory from proc/meminfo and each NUMA node’s meminfo', async () => {
    expect((await host.getMemoryStats?.(-1, 0))?.map((s) => [s.field, s.value])).toEqual([
      ['total', 2000n],
      ['free', 500n],
      ['buffers', 30n],
      ['cached', 200n],
    ]);
    expect((await host.getMemoryStats?.(1, 0))?.map((s) => [s.field, s.value])).toEqual([
      ['total', 1000n],
      ['free', 200n],
    ]);
    expect((await failure(host.getMemoryStats?.(2, 0) as Promise<unknown>)).message).toBe(
      'cellNum in virHostMemGetStats must be less than or equal to 1',
    );
    expect(await host.getCellsFreeMemory?.(0, 8)).toEqual([307200n, 204800n]);
    expect(await host.getCellsFreeMemory?.(1, 1)).toEqual([204800n]);
    expect((await failure(host.getCellsFreeMemory?.(2, 1) as Promise<unknown>)).message).toBe(
      'internal error: start cell 2 out of range (0-1)',
    );
  });

  it('maps present and online CPUs from sysfs', async () => {
    expect(await qemuNodeCpuMap(root, 0)).toEqual({ cpus: 4, online: 3, map: new Uint8Array([0b1101]) });
    expect(parseIdList('0-2,5\n')).toEqual([0, 1, 2, 5]);
  });

  it('reads this machine’s own files with the default root', async () => {
    const real = qemuHostStats();
    const total = (await real.getMemoryStats?.(-1, 0))?.[0];
    const expected = /MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    expect(total).toEqual({ field: 'total', value: BigInt(expected ?? '-1') });
  });
});
