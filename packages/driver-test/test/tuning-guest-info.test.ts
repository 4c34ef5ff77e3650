/**
 * Memory/blkio/NUMA parameters, block info, guest time and file systems on tsvirt's test driver
 * against libvirt-python on libvirt's own test:///default: the same calls on fresh state give
 * the same typed values, or the same error code, domain and message.
 */
import type { Domain, TypedParameter } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { hasLibvirtPython, onFreshDefault, runPython } from './libvirt-python.js';

/** One call: [API, arguments (a JSON value), flags, readOnly, destroy first]. */
type Step = [string, unknown, number, boolean?, boolean?];
const LIVE = 1;
const CONFIG = 2;
const STEPS: Step[] = [
  ['memory', null, 0],
  ['memory', null, CONFIG],
  ['memory', null, LIVE | CONFIG],
  ['memory', null, 8],
  ['memory', null, LIVE, false, true],
  ['memory', null, 0, true],
  ['setMemory', { hard_limit: 1024 }, 0],
  ['setMemory', { hard_limit: 1024, swap_hard_limit: 512 }, 0],
  ['setMemory', { soft_limit: 5 }, CONFIG],
  ['setMemory', { soft_limit: 5 }, 0, true],
  ['blkio', null, 0],
  ['setBlkio', { weight: 300, device_weight: '/dev/a,10,/dev/b,20' }, 0],
  ['setBlkio', { device_read_iops_sec: '/dev/a,x' }, 0],
  ['setBlkio', { device_read_iops_sec: '/dev/a' }, 0],
  ['numa', null, 0],
  ['numa', null, LIVE | CONFIG],
  ['setNuma', { numa_nodeset: '0-2,^1' }, 0],
  ['setNuma', { numa_mode: 2 }, 0],
  ['setNuma', { numa_mode: 9, numa_nodeset: '0' }, 0],
  ['setNuma', { numa_nodeset: 'zz' }, CONFIG],
  ['blockInfo', 'vda', 0],
  ['blockInfo', '/guest/diskimage1', 0],
  ['blockInfo', 'vdz', 0],
  ['blockInfo', 'vda', 1],
  ['blockInfo', 'vda', 0, true, true],
  ['time', null, 0],
  ['time', null, 0, true],
  ['time', null, 0, false, true],
  ['setTime', 1234, 1],
  ['setTime', 1234, 2],
  ['setTime', 1234, 0, false, true],
  ['fsInfo', null, 0],
  ['fsInfo', null, 0, true],
  ['fsInfo', null, 0, false, true],
];

type Outcome = unknown;

const PY = `
out = []
for api, arg, flags, ro, destroy in json.load(sys.stdin):
    rw = libvirt.open('test:///default')
    c = libvirt.openReadOnly('test:///default') if ro else rw
    if destroy: rw.lookupByName('test').destroy()
    d = c.lookupByName('test')
    try:
        if api == 'memory': r = d.memoryParameters(flags)
        elif api == 'blkio': r = d.blkioParameters(flags)
        elif api == 'numa': r = d.numaParameters(flags)
        elif api == 'setMemory': d.setMemoryParameters(arg, flags); r = rw.lookupByName('test').memoryParameters(0)
        elif api == 'setBlkio': d.setBlkioParameters(arg, flags); r = rw.lookupByName('test').blkioParameters(0)
        elif api == 'setNuma': d.setNumaParameters(arg, flags); r = rw.lookupByName('test').numaParameters(flags)
        elif api == 'blockInfo': r = d.blockInfo(arg, flags)
        elif api == 'time': r = d.getTime(flags)
        elif api == 'setTime': d.setTime({'seconds': arg, 'nseconds': 5}, flags); r = rw.lookupByName('test').getTime(0)
        elif api == 'fsInfo': r = d.fsInfo(flags)
        out.append(r)
    except libvirt.libvirtError as e:
        out.append(failure(e))
    d = None
    if c is not rw: c.close()
    rw.close()
print(json.dumps(out))
`;

/** libvirt-python's dict of a parameter list (it reads all of them: count first, then values). */
async function dict(get: (n: number) => Promise<{ params: TypedParameter[]; nparams: number }>) {
  const { nparams } = await get(0);
  const { params } = await get(nparams);
  return Object.fromEntries(params.map((p) => [p.field, typeof p.value === 'bigint' ? Number(p.value) : p.value]));
}

/** libvirt-python sets a parameter with the type the driver reports for it. */
function typed(args: Record<string, number | string>): TypedParameter[] {
  const types: Record<string, TypedParameter['type']> = {
    hard_limit: 'ullong',
    soft_limit: 'ullong',
    swap_hard_limit: 'ullong',
    weight: 'uint',
    numa_mode: 'int',
  };
  return Object.entries(args).map(([field, value]) => {
    const type = types[field] ?? 'string';
    if (type === 'ullong') return { field, type, value: BigInt(value) };
    if (type === 'int' || type === 'uint') return { field, type, value: Number(value) };
    return { field, type: 'string', value: String(value) };
  });
}

async function call(
  d: Domain,
  fresh: () => Promise<Domain>,
  api: string,
  arg: unknown,
  flags: number,
): Promise<unknown> {
  switch (api) {
    case 'memory':
      return dict((n) => d.getMemoryParameters(n, flags));
    case 'blkio':
      return dict((n) => d.getBlkioParameters(n, flags));
    case 'numa':
      return dict((n) => d.getNumaParameters(n, flags));
    case 'setMemory':
      await d.setMemoryParameters(typed(arg as Record<string, number>), flags);
      return dict(async (n) => (await fresh()).getMemoryParameters(n, 0));
    case 'setBlkio':
      await d.setBlkioParameters(typed(arg as Record<string, string>), flags);
      return dict(async (n) => (await fresh()).getBlkioParameters(n, 0));
    case 'setNuma':
      await d.setNumaParameters(typed(arg as Record<string, string>), flags);
      return dict(async (n) => (await fresh()).getNumaParameters(n, flags));
    case 'blockInfo': {
      const b = await d.getBlockInfo(arg as string, flags);
      return [Number(b.capacity), Number(b.allocation), Number(b.physical)];
    }
    case 'time': {
      const t = await d.getTime(flags);
      return { seconds: Number(t.seconds), nseconds: t.nseconds };
    }
    case 'setTime': {
      await d.setTime({ seconds: BigInt(arg as number), nseconds: 5 }, flags);
      const t = await (await fresh()).getTime(0);
      return { seconds: Number(t.seconds), nseconds: t.nseconds };
    }
    case 'fsInfo':
      return (await d.getFSInfo(flags)).map((f) => [f.mountpoint, f.name, f.fstype, f.devAlias]);
  }
  throw new Error(`unknown step ${api}`);
}

async function runTsvirt(): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const [api, arg, flags, readOnly = false, destroyFirst = false] of STEPS) {
    out.push(
      await onFreshDefault({ readOnly, destroyFirst }, async (c, rw) =>
        call(await c.lookupDomainByName('test'), () => rw.lookupDomainByName('test'), api, arg, flags),
      ),
    );
  }
  return out;
}

describe.skipIf(!hasLibvirtPython)(
  'tuning parameters and guest info on the test driver, against libvirt-python',
  () => {
    it('gives the same values and errors as libvirt 9.0 test:///default', async () => {
      const steps = STEPS.map(([api, arg, flags, ro = false, destroy = false]) => [api, arg, flags, ro, destroy]);
      const expected = runPython<Outcome[]>(PY, steps);
      const actual = await runTsvirt();
      expect(STEPS.map((step, i) => ({ step, out: actual[i] }))).toEqual(
        STEPS.map((step, i) => ({ step, out: expected[i] })),
      );
    });
  },
);
