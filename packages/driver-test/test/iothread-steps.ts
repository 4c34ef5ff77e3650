/**
 * The IOThread steps the comparisons share: one sequence of add, pin, info, XML, params and delete
 * calls on test:///default's domain `test`, run by libvirt-python (PY) and by tsvirt (runSteps).
 */
import type { Connection, Domain } from '@tsvirt/core';
import { outcome } from './libvirt-python.js';

export type Step = [op: string, ...args: unknown[]];

export const STEPS: Step[] = [
  ['info', 0],
  ['add', 3, 0],
  ['info', 0],
  ['add', 3, 0],
  ['add', 0, 0],
  ['add', 2, 2],
  ['info', 2],
  ['info', 1],
  ['pin', 3, [false, true], 0],
  ['pin', 9, [false, true], 0],
  ['pin', 3, [false, false], 0],
  ['info', 0],
  ['params', 3, { poll_max_ns: 100 }, 0],
  ['params', 3, { bogus: 1 }, 0],
  ['xml', 0],
  ['del', 5, 0],
  ['del', 0, 0],
  ['del', 3, 0],
  ['info', 0],
  ['info', 3],
  ['destroy'],
  ['add', 4, 0],
  ['info', 0],
  ['del', 2, 0],
  ['info', 0],
];

export const PY = `
steps = json.load(sys.stdin)
c = libvirt.open(sys.argv[1]); d = c.lookupByName('test')
out = []
for s in steps:
    op, args = s[0], s[1:]
    try:
        if op == 'info': r = [[i, [bool(b) for b in m]] for i, m in d.ioThreadInfo(args[0])]
        elif op == 'add': r = d.addIOThread(args[0], args[1])
        elif op == 'del': r = d.delIOThread(args[0], args[1])
        elif op == 'pin': r = d.pinIOThread(args[0], tuple(args[1]), args[2])
        elif op == 'params': r = d.setIOThreadParams(args[0], args[1], args[2])
        elif op == 'destroy': r = d.destroy()
        elif op == 'xml': r = re.findall(r'<iothread.*', d.XMLDesc(args[0]))
        out.append({'ok': r if op in ('info', 'xml') else None})
    except libvirt.libvirtError as e:
        out.append(failure(e))
print(json.dumps(out))
`;

const bits = (map: Uint8Array): boolean[] =>
  Array.from({ length: map.length * 8 }, (_, i) => ((map[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
const mapOf = (cpus: boolean[]): Uint8Array => {
  const m = new Uint8Array(Math.ceil(cpus.length / 8));
  cpus.forEach((on, i) => {
    if (on) m[i >> 3] = (m[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return m;
};

async function run(d: Domain, [op, ...a]: Step): Promise<unknown> {
  return outcome(async () => {
    let r: unknown = null;
    if (op === 'info') r = (await d.getIOThreadInfo(a[0] as number)).map((t) => [t.iothreadId, bits(t.cpumap)]);
    else if (op === 'add') await d.addIOThread(a[0] as number, a[1] as number);
    else if (op === 'del') await d.delIOThread(a[0] as number, a[1] as number);
    else if (op === 'pin') await d.pinIOThread(a[0] as number, mapOf(a[1] as boolean[]), a[2] as number);
    else if (op === 'params') {
      const params = Object.entries(a[1] as Record<string, number>).map(([field, value]) => ({
        field,
        type: 'ullong' as const,
        value: BigInt(value),
      }));
      await d.setIOThreadParams(a[0] as number, params, a[2] as number);
    } else if (op === 'destroy') await d.destroy();
    else if (op === 'xml') r = (await d.getXmlDesc(a[0] as number)).match(/<iothread.*/g) ?? [];
    return { ok: r };
  });
}

/** Every step on one connection made by `open`, as the python program does them. */
export async function runSteps(open: () => Promise<Connection>): Promise<unknown[]> {
  const conn = await open();
  try {
    const dom = await conn.lookupDomainByName('test');
    const out: unknown[] = [];
    for (const step of STEPS) out.push(await run(dom, step));
    return out;
  } finally {
    await conn.close();
  }
}
