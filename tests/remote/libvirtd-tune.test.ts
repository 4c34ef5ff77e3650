/**
 * tsvirt's remote client on the real libvirtd 9.0 of this machine (its test driver): memory,
 * blkio and NUMA parameters (both steps of the nparams exchange, typed values, string values),
 * block info, guest time and file systems. Each sequence runs once through the client against
 * libvirtd and once in-process on tsvirt's test driver; values and errors (code, domain,
 * message) must be the same, which checks the procedure numbers, layouts and decoding.
 */
import { type Connection, connect, type Domain, VirError } from '@tsvirt/core';
import { driver as testDriver } from '@tsvirt/driver-test';
import { driver as remoteDriver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
if (unavailable) console.warn(`[tests/remote] skipping the real-libvirtd tuning tests: ${unavailable}`);

const LIVE = 1;
const CONFIG = 2;
const STRING_OKAY = 4;

type Step = (dom: Domain) => Promise<unknown>;
const SEQUENCES: Record<string, Step[]> = {
  'memory parameters: count, values, a change, its refusal, --config on a running domain': [
    (d) => d.getMemoryParameters(0),
    (d) => d.getMemoryParameters(3),
    (d) => d.getMemoryParameters(2, CONFIG),
    (d) => d.setMemoryParameters([{ field: 'hard_limit', type: 'ullong', value: 1024n }]),
    (d) => d.getMemoryParameters(3, LIVE),
    (d) => d.getMemoryParameters(3, CONFIG),
    (d) => d.setMemoryParameters([{ field: 'swap_hard_limit', type: 'ullong', value: 10n }]),
    (d) => d.setMemoryParameters([{ field: 'min_guarantee', type: 'ullong', value: 10n }]),
    (d) => d.setMemoryParameters([{ field: 'hard_limit', type: 'uint', value: 10 }]),
    (d) => d.getMemoryParameters(3, LIVE | CONFIG),
  ],
  'blkio parameters: strings travel only to a caller that accepts them': [
    (d) => d.getBlkioParameters(0),
    (d) =>
      d.setBlkioParameters([
        { field: 'weight', type: 'uint', value: 300 },
        { field: 'device_weight', type: 'string', value: '/dev/a,10,/dev/b,20' },
      ]),
    (d) => d.getBlkioParameters(6),
    (d) => d.getBlkioParameters(2, STRING_OKAY),
    (d) => d.setBlkioParameters([{ field: 'device_read_iops_sec', type: 'string', value: '/dev/a,x' }]),
  ],
  'NUMA parameters: nodeset, mode, refusals': [
    (d) => d.getNumaParameters(2),
    (d) => d.setNumaParameters([{ field: 'numa_nodeset', type: 'string', value: '0-3,^2' }]),
    (d) => d.getNumaParameters(2),
    (d) => d.setNumaParameters([{ field: 'numa_mode', type: 'int', value: 2 }]),
    (d) => d.setNumaParameters([{ field: 'numa_mode', type: 'int', value: 2 }], CONFIG),
    (d) => d.getNumaParameters(2, CONFIG),
    (d) => d.setNumaParameters([{ field: 'numa_nodeset', type: 'string', value: 'x' }]),
    (d) => d.getNumaParameters(1, LIVE | CONFIG),
  ],
  'block info, guest time, file systems; then shut off': [
    (d) => d.getBlockInfo('vda'),
    (d) => d.getBlockInfo('/guest/diskimage1'),
    (d) => d.getBlockInfo('vdz'),
    (d) => d.getTime(),
    (d) => d.setTime({ seconds: 1_700_000_000n, nseconds: 7 }),
    (d) => d.getTime(),
    (d) => d.setTime({ seconds: -5n, nseconds: 0 }, 1),
    (d) => d.getTime(),
    (d) => d.getTime(1),
    (d) => d.getFSInfo(),
    (d) => d.destroy(),
    (d) => d.getBlockInfo('vda'),
    (d) => d.getTime(),
    (d) => d.setTime({ seconds: 1n, nseconds: 0 }),
    (d) => d.getFSInfo(),
    (d) => d.getMemoryParameters(3, LIVE),
  ],
};

async function run(c: Connection, steps: Step[]): Promise<unknown[]> {
  const dom = await c.lookupDomainByName('test');
  const out: unknown[] = [];
  for (const step of steps) {
    try {
      out.push((await step(dom)) ?? null);
    } catch (e) {
      if (!(e instanceof VirError)) throw e;
      out.push({ code: e.code, domain: e.domain, message: e.message });
    }
  }
  return out;
}

let daemon: Libvirtd | undefined;

describe.skipIf(unavailable !== undefined)('tuning and guest-info procedures against a real libvirtd', () => {
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  for (const [name, steps] of Object.entries(SEQUENCES)) {
    it(name, async () => {
      const remote = await connect(daemon!.tcpUri(), { drivers: [remoteDriver] });
      const local = await connect('test:///default', { drivers: [testDriver] });
      try {
        expect(await run(remote, steps)).toEqual(await run(local, steps));
      } finally {
        await remote.close();
        await local.close();
      }
    });
  }

  it('libvirtd refuses the guest-agent calls and changes on a read-only connection', async () => {
    const ro = await connect(daemon!.tcpUri(), { drivers: [remoteDriver], readOnly: true });
    const local = await connect('test:///default', { drivers: [testDriver], readOnly: true });
    const steps: Step[] = [
      (d) => d.getMemoryParameters(3),
      (d) => d.getBlockInfo('vda'),
      (d) => d.setMemoryParameters([{ field: 'hard_limit', type: 'ullong', value: 1n }]),
      (d) => d.setBlkioParameters([{ field: 'weight', type: 'uint', value: 1 }]),
      (d) => d.setNumaParameters([{ field: 'numa_nodeset', type: 'string', value: '0' }]),
      (d) => d.getTime(),
      (d) => d.setTime({ seconds: 1n, nseconds: 0 }),
      (d) => d.getFSInfo(),
    ];
    try {
      expect(await run(ro, steps)).toEqual(await run(local, steps));
    } finally {
      await ro.close();
      await local.close();
    }
  });
});
