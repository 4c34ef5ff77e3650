import { type Connection, connect, ErrorCode, ErrorDomain, isVirError } from '@tsvirt/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

/** The VirError a call fails with, as { code, domain, message }. */
async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isVirError(e)) return { code: e.code, domain: e.domain, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

let conn: Connection;
beforeEach(async () => {
  conn = await connect('test:///default', { drivers: [driver] });
});
afterEach(() => conn.close());

describe('host statistics of test:///default (libvirt 9.0 test driver facts)', () => {
  it('reports two cells, clipped to the cells that exist, and refuses a range outside them', async () => {
    expect(await conn.getCellsFreeMemory(0, 8)).toEqual([2097152n, 4194304n]);
    expect(await conn.getCellsFreeMemory(1, 5)).toEqual([4194304n]);
    expect(await failure(conn.getCellsFreeMemory(2, 1))).toEqual({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.TEST,
      message: 'invalid argument: Range exceeds available cells',
    });
    expect((await failure(conn.getCellsFreeMemory(-1, 1))).message).toBe(
      'startCell in virNodeGetCellsFreeMemory must be zero or greater',
    );
  });

  it('answers the same CPU times for any CPU, refuses cpuNum below -1 and unknown flags', async () => {
    const all = await conn.getCpuStats();
    expect(all.map((s) => s.field)).toEqual(['user', 'kernel', 'idle', 'iowait']);
    expect(await conn.getCpuStats(100)).toEqual(all);
    expect(await failure(conn.getCpuStats(-2))).toMatchObject({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.DOMAIN,
    });
    expect((await failure(conn.getCpuStats(-1, 1))).message).toBe(
      'unsupported flags (0x1) in function testNodeGetCPUStats',
    );
  });

  it('has no node memory statistics', async () => {
    expect(await failure(conn.getMemoryStats())).toEqual({
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.DOMAIN,
      message: 'this function is not supported by the connection driver: virNodeGetMemoryStats',
    });
  });

  it('maps eight CPUs with 0, 2 and 4 online', async () => {
    const map = await conn.getCPUMap();
    expect(map.cpus).toBe(8);
    expect(map.online).toBe(3);
    expect(Array.from(map.map)).toEqual([0b10101]);
  });

  it("lists CPU models per libvirt's CPU drivers", async () => {
    const x86 = await conn.getCpuModelNames('x86_64');
    expect(x86).toHaveLength(58);
    expect(x86.slice(0, 3)).toEqual(['486', 'pentium', 'pentium2']);
    expect(await conn.getCpuModelNames('i686')).toEqual(x86);
    expect(await conn.getCpuModelNames('ppc64le')).toContain('POWER10');
    expect(await conn.getCpuModelNames('aarch64')).toEqual([]);
    expect(await failure(conn.getCpuModelNames('sparc'))).toEqual({
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.CPU,
      message:
        "this function is not supported by the connection driver: 'sparc' architecture is not supported by CPU driver",
    });
    expect((await failure(conn.getCpuModelNames('foo'))).message).toBe(
      'invalid argument: cannot find architecture foo',
    );
  });
});

describe('bulk domain statistics of test:///default', () => {
  const summary = (records: Awaited<ReturnType<Connection['getAllDomainStats']>>) =>
    records.map((r) => [r.domain.getName(), Object.fromEntries(r.params.map((p) => [p.field, p.value]))]);

  it('reports the state group (and an empty iothread group), with the list filters', async () => {
    expect(summary(await conn.getAllDomainStats())).toEqual([['test', { 'state.state': 1, 'state.reason': 0 }]]);
    expect(summary(await conn.getAllDomainStats(0x80))).toEqual([['test', {}]]);
    expect(summary(await conn.getAllDomainStats(0, 2))).toEqual([]);
    const dom = await conn.lookupDomainByName('test');
    await dom.destroy();
    expect(summary(await conn.getAllDomainStats(0, 2))).toEqual([['test', { 'state.state': 5, 'state.reason': 2 }]]);
    expect(summary(await conn.domainListGetStats([dom, dom], 1, 1))).toEqual([]);
    expect(summary(await conn.domainListGetStats([dom, dom]))).toHaveLength(2);
  });

  it('refuses groups it lacks only when enforced, unknown flags and an empty list', async () => {
    expect(summary(await conn.getAllDomainStats(0x40))).toEqual([['test', {}]]);
    expect(await failure(conn.getAllDomainStats(0x41, 0x80000000))).toEqual({
      code: ErrorCode.ARGUMENT_UNSUPPORTED,
      domain: ErrorDomain.TEST,
      message: 'argument unsupported: Stats types bits 0x40 are not supported by this daemon',
    });
    expect((await failure(conn.getAllDomainStats(0, 0x10000000))).message).toBe(
      'unsupported flags (0x10000000) in function testConnectGetAllDomainStats',
    );
    // ENFORCE_STATS is bit 31: OR-ing it in makes a negative JavaScript number, the same bits.
    expect(summary(await conn.getAllDomainStats(0x1, 0x10 | 0x80000000))).toEqual(
      summary(await conn.getAllDomainStats(0x1)),
    );
    expect((await failure(conn.getAllDomainStats(0, 0x10000000 | 0x80000000))).message).toBe(
      'unsupported flags (0x10000000) in function testConnectGetAllDomainStats',
    );
    expect((await failure(conn.domainListGetStats([]))).message).toBe(
      'invalid argument: doms array in virDomainListGetStats must contain at least one domain',
    );
  });
});

describe('a host from a node file', () => {
  it('has no NUMA cells: no free memory, no cell to ask about', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'test-node-'));
    const file = join(dir, 'node.xml');
    writeFileSync(file, '<node><cpu><nodes>4</nodes></cpu><memory>8192000</memory></node>');
    const c = await connect(`test://${file}`, { drivers: [driver] });
    try {
      expect(await c.getFreeMemory()).toBe(0);
      expect((await failure(c.getCellsFreeMemory(0, 1))).message).toBe(
        'invalid argument: Range exceeds available cells',
      );
      expect(await conn.getFreeMemory()).toBe(3145728);
    } finally {
      await c.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
