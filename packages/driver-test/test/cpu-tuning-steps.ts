/**
 * Steps of vCPU, pinning and scheduler calls, and the libvirt-python program that runs them on a
 * URI (libvirt's own test:///default, or tsvirtd): shared by the driver and the daemon tests.
 */
import { type Connection, cpumapOf, cpusOfCpumap, type Domain } from '@tsvirt/core';
import { outcome } from './libvirt-python.js';
export type Step =
  | ['vcpus']
  | ['pininfo', number]
  | ['pin', number, number[], number | null]
  | ['emu', number]
  | ['pinemu', number[], number]
  | ['count', number]
  | ['max']
  | ['schedtype']
  | ['sched', number | null]
  | ['setsched', number, number | null]
  | ['setvcpus', number, number]
  | ['destroy']
  | ['start']
  | ['cputune', number]
  | ['cpumap'];

/** Each script runs on a fresh test:///default. */
export const SCRIPTS: Step[][] = [
  [['cpumap'], ['vcpus'], ['pininfo', 0], ['pininfo', 1], ['pininfo', 2], ['pininfo', 3], ['emu', 0]],
  [
    ['pin', 0, [1, 3], null],
    ['pin', 1, [2], 0],
    ['vcpus'],
    ['pininfo', 0],
    ['pininfo', 2],
    ['cputune', 0],
    ['cputune', 2],
  ],
  [['pin', 0, [], null], ['vcpus'], ['cputune', 0], ['pin', 2, [1], null], ['pin', 0, [1], 1], ['pin', 0, [1], 2]],
  [
    ['pinemu', [1], 2],
    ['emu', 0],
    ['emu', 2],
    ['cputune', 2],
    ['pinemu', [2, 3], 1],
    ['emu', 1],
    ['cputune', 0],
  ],
  [
    ['pinemu', [], 0],
    ['pinemu', [1], 3],
    ['emu', 3],
    ['pinemu', [1], 4],
  ],
  [
    ['setvcpus', 1, 1],
    ['vcpus'],
    ['pininfo', 1],
    ['pin', 1, [1], null],
    ['count', 0],
    ['count', 2],
    ['count', 5],
    ['count', 6],
    ['count', 3],
    ['count', 8],
    ['max'],
  ],
  [
    ['destroy'],
    ['vcpus'],
    ['pininfo', 0],
    ['pininfo', 1],
    ['pin', 0, [1], null],
    ['emu', 1],
    ['pinemu', [1], 0],
    ['emu', 0],
    ['cputune', 0],
    ['count', 0],
    ['count', 1],
    ['max'],
    ['start'],
    ['emu', 0],
    ['cputune', 0],
  ],
  [
    ['schedtype'],
    ['sched', null],
    ['sched', 0],
    ['sched', 1],
    ['setsched', 7, null],
    ['sched', null],
    ['setsched', 7, 0],
    ['destroy'],
    ['sched', null],
    ['setsched', 7, null],
  ],
];

/** Runs SCRIPTS (JSON on stdin) with libvirt-python on the URI given as its argument (see runPython). */
export const PY = `
results = []
def bits(cpus): return tuple(i in cpus for i in range(8))
def cputune(xml):
    m = re.search(r'<cputune>.*?</cputune>', xml, re.S)
    return m.group(0) if m else ''
for script in json.load(sys.stdin):
    c = libvirt.open(sys.argv[1])
    d = c.lookupByName('test')
    out = []
    for s in script:
        op = s[0]
        try:
            if op == 'vcpus':
                info, maps = d.vcpus()
                out.append([[i[0], i[1], i[2] > 0, i[3]] for i in info] + [[list(m) for m in maps]])
            elif op == 'pininfo': out.append([list(m) for m in d.vcpuPinInfo(s[1])])
            elif op == 'pin':
                if s[3] is None: d.pinVcpu(s[1], bits(s[2]))
                else: d.pinVcpuFlags(s[1], bits(s[2]), s[3])
                out.append('ok')
            elif op == 'emu': out.append(list(d.emulatorPinInfo(s[1])))
            elif op == 'pinemu': d.pinEmulator(bits(s[1]), s[2]); out.append('ok')
            elif op == 'count': out.append(d.vcpusFlags(s[1]))
            elif op == 'max': out.append(d.maxVcpus())
            elif op == 'schedtype': out.append(list(d.schedulerType()))
            elif op == 'sched': out.append(d.schedulerParameters() if s[1] is None else d.schedulerParametersFlags(s[1]))
            elif op == 'setsched':
                if s[2] is None: d.setSchedulerParameters({'weight': s[1]})
                else: d.setSchedulerParametersFlags({'weight': s[1]}, s[2])
                out.append('ok')
            elif op == 'setvcpus': d.setVcpusFlags(s[1], s[2]); out.append('ok')
            elif op == 'destroy': d.destroy(); out.append('ok')
            elif op == 'start': d.create(); out.append('ok')
            elif op == 'cputune': out.append(cputune(d.XMLDesc(s[1])))
            elif op == 'cpumap': out.append(list(c.getCPUMap(0)))
        except libvirt.libvirtError as e:
            out.append(failure(e))
    d = None
    c.close()
    results.append(out)
print(json.dumps(results))
`;

const bools = (map: Uint8Array, n = 8) => {
  const set = new Set(cpusOfCpumap(map));
  return Array.from({ length: n }, (_, i) => set.has(i));
};

async function step(c: Connection, d: Domain, s: Step): Promise<unknown> {
  switch (s[0]) {
    case 'vcpus': {
      const { nrVirtCpu } = await d.getInfo();
      const { info, cpumaps } = await d.getVcpus(nrVirtCpu, 1);
      return [...info.map((i) => [i.number, i.state, i.cpuTime > 0n, i.cpu]), cpumaps.map((m) => bools(m))];
    }
    case 'pininfo': {
      const { nrVirtCpu } = await d.getInfo();
      // libvirt-python asks for as many maps as the domain has vCPUs (its info's count).
      return (await d.getVcpuPinInfo(nrVirtCpu, 1, s[1])).map((m) => bools(m));
    }
    case 'pin':
      await d.pinVcpu(s[1], cpumapOf(s[2], 1), s[3] ?? undefined);
      return 'ok';
    case 'emu':
      return bools(await d.getEmulatorPinInfo(1, s[1]));
    case 'pinemu':
      await d.pinEmulator(cpumapOf(s[1], 1), s[2]);
      return 'ok';
    case 'count':
      return d.getVcpusFlags(s[1]);
    case 'max':
      return d.getMaxVcpus();
    case 'schedtype': {
      const t = await d.getSchedulerType();
      return [t.type, t.nparams];
    }
    case 'sched': {
      const params = await d.getSchedulerParameters(s[1] ?? undefined);
      return Object.fromEntries(params.map((p) => [p.field, p.value]));
    }
    case 'setsched': {
      // libvirt-python reads the parameters (and their types) before setting them.
      await d.getSchedulerParameters(s[2] ?? undefined);
      await d.setSchedulerParameters([{ field: 'weight', type: 'uint', value: s[1] }], s[2] ?? undefined);
      return 'ok';
    }
    case 'setvcpus':
      await d.setVcpus(s[1], s[2]);
      return 'ok';
    case 'destroy':
      await d.destroy();
      return 'ok';
    case 'start':
      await d.create();
      return 'ok';
    case 'cputune':
      return /<cputune>.*?<\/cputune>/s.exec(await d.getXmlDesc(s[1]))?.[0] ?? '';
    case 'cpumap': {
      const m = await c.getCPUMap();
      return [m.cpus, bools(m.map), m.online];
    }
  }
}

/** Runs SCRIPTS with tsvirt's API, each script on a connection of its own from `open`. */
export async function runSteps(open: () => Promise<Connection>): Promise<unknown[][]> {
  const results: unknown[][] = [];
  for (const script of SCRIPTS) {
    const c = await open();
    const d = await c.lookupDomainByName('test');
    const out: unknown[] = [];
    for (const s of script) out.push(await outcome(() => step(c, d, s)));
    await c.close();
    results.push(out);
  }
  return results;
}
