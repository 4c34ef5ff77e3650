/**
 * tsvirt's remote client on the real libvirtd 9.0 of this machine (its test driver): the host
 * statistics and bulk domain statistics it reads must equal what tsvirt's own test driver
 * answers in-process, errors included (code, domain, message).
 */
import { type Connection, connect, isVirError } from '@tsvirt/core';
import { driver as testDriver } from '@tsvirt/driver-test';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh } from '../cli/run-both.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
if (unavailable) console.warn(`[tests/remote] skipping the real-libvirtd host-stats tests: ${unavailable}`);

let daemon: Libvirtd | undefined;

/** Every call's answer or error, so two connections can be compared as a whole. */
async function facts(c: Connection): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const note = async (label: string, fn: () => Promise<unknown>) => {
    try {
      out[label] = await fn();
    } catch (e) {
      out[label] = isVirError(e) ? { code: e.code, domain: e.domain, message: e.message } : String(e);
    }
  };
  const records = async (p: Promise<Awaited<ReturnType<Connection['getAllDomainStats']>>>) =>
    (await p).map((r) => ({ name: r.domain.getName(), uuid: r.domain.getUUIDString(), params: r.params }));
  await note('cells', () => c.getCellsFreeMemory(0, 8));
  await note('cells-1', () => c.getCellsFreeMemory(1, 1));
  await note('cells-out', () => c.getCellsFreeMemory(2, 1));
  await note('cpu', () => c.getCpuStats());
  await note('cpu-5', () => c.getCpuStats(5));
  await note('cpu-flags', () => c.getCpuStats(-1, 1));
  await note('mem', () => c.getMemoryStats());
  await note('map', () => c.getCPUMap());
  await note('map-flags', () => c.getCPUMap(1));
  await note('models-x86', () => c.getCpuModelNames('x86_64'));
  await note('models-ppc', () => c.getCpuModelNames('ppc64'));
  await note('models-arm', () => c.getCpuModelNames('aarch64'));
  await note('models-sparc', () => c.getCpuModelNames('sparc'));
  await note('models-foo', () => c.getCpuModelNames('foo'));
  await note('all', () => records(c.getAllDomainStats()));
  await note('all-iothread', () => records(c.getAllDomainStats(0x80)));
  await note('all-enforce', () => records(c.getAllDomainStats(0x2, 0x80000000)));
  await note('all-badflag', () => records(c.getAllDomainStats(0, 0x10000000)));
  await note('all-inactive', () => records(c.getAllDomainStats(0, 2)));
  const dom = await c.lookupDomainByName('test');
  await note('list', () => records(c.domainListGetStats([dom, dom], 1)));
  await dom.destroy();
  await note('list-active-after-destroy', () => records(c.domainListGetStats([dom], 0, 1)));
  await note('all-after-destroy', () => records(c.getAllDomainStats()));
  return out;
}

describe.skipIf(unavailable !== undefined)('host statistics against a real libvirtd', () => {
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  // tsvirsh through libvirtd prints what virsh prints in-process on libvirt's test driver.
  const lines = [
    'freecell --all',
    'freecell --cellno 1',
    'nodecpustats --cpu 1',
    'nodememstats',
    'nodecpumap --pretty',
    'cpu-models ppc64',
    'cpu-models sparc',
    'domstats --raw',
    'domstats --enforce --vcpu',
    'destroy test; domstats --list-inactive test test',
  ];
  for (const line of lines) {
    it(`tsvirsh → libvirtd: ${line}`, async () => {
      if (!daemon) throw new Error('libvirtd did not start');
      const expected = await runVirsh(['-c', 'test:///default', line]);
      const actual = await runTsvirsh(['-c', daemon.tcpUri(), line]);
      expect(actual).toEqual(expected);
    });
  }

  it('the remote client reads what tsvirt’s test driver answers in-process', async () => {
    if (!daemon) throw new Error('libvirtd did not start');
    const remote = await connect(daemon.tcpUri(), { drivers: [driver] });
    const local = await connect('test:///default', { drivers: [testDriver] });
    try {
      const theirs = await facts(remote);
      const ours = await facts(local);
      expect(theirs).toEqual(ours);
      expect(theirs.all).toEqual([
        expect.objectContaining({
          name: 'test',
          params: [expect.objectContaining({ field: 'state.state', value: 1 }), expect.anything()],
        }),
      ]);
    } finally {
      await remote.close();
      await local.close();
    }
  });
});
