/**
 * setmem/setmaxmem/setvcpus/rename on tsvirt's test driver against libvirt-python on libvirt's
 * own test:///default: the same steps, compared step by step (result or error code, domain and
 * message) and in the lifecycle events they raise.
 */
import { connect, type DomainLifecycleEvent } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { failure, hasLibvirtPython, runPython } from './libvirt-python.js';

/** [api, argument, flags]; flags null means the flag-less API (virDomainSetMemory, ...). */
type Step = [string, number | string, number | null];
const STEPS: Step[] = [
  ['setMemory', 99_999_999, null],
  ['setMemory', 1_048_576, null],
  ['setMemory', 1000, 2],
  ['setMemory', 100, 3],
  ['setMemory', 0, 2],
  ['setMemory', 100, 8],
  ['setMaxMemory', 4_194_304, null],
  ['setMemory', 4_194_304, 1 | 4],
  ['setMemory', 4_194_304, 2 | 4],
  ['setVcpus', 3, null],
  ['setVcpus', 1, null],
  ['setVcpus', 0, null],
  ['setVcpus', 33, 2],
  ['setVcpus', 4, 1 | 4],
  ['setVcpus', 4, 2 | 4],
  ['setVcpus', 3, 3],
  ['setVcpus', 3, 2],
  ['setVcpus', 1, 16],
  ['rename', 't2', 0],
  ['destroy', '', null],
  ['xml', '', 0],
  ['setMemory', 100, null],
  ['setMaxMemory', 10, null],
  ['setMaxMemory', 0, null],
  ['setVcpus', 2, 0],
  ['setVcpus', 1, 2 | 4],
  ['xml', '', 0],
  ['rename', 't2', 1],
  ['rename', 'test', 0],
  ['rename', 'a/b', 0],
  ['rename', '', 0],
  ['rename', 't2', 0],
  ['xml', '', 0],
];

type Outcome = string | { code: number; domain: number; message: string };
interface Run {
  outcomes: Outcome[];
  events: [string, number, number][];
}

const PY = `
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open('test:///default')
events = []
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
    lambda conn, dom, ev, det, op: events.append([dom.name(), ev, det]), None)
d = c.lookupByName('test')
out = []
def xml():
    return '|'.join(l.strip() for l in d.XMLDesc(0).splitlines() if 'emory' in l or '<vcpu' in l or '<name' in l)
for api, arg, flags in json.load(sys.stdin):
    try:
        if api == 'setMemory': (d.setMemory(arg) if flags is None else d.setMemoryFlags(arg, flags)); r = 'ok'
        elif api == 'setMaxMemory': d.setMaxMemory(arg); r = 'ok'
        elif api == 'setVcpus': (d.setVcpus(arg) if flags is None else d.setVcpusFlags(arg, flags)); r = 'ok'
        elif api == 'rename': d.rename(arg, flags); r = 'ok'
        elif api == 'destroy': d.destroy(); r = 'ok'
        else: r = xml()
    except libvirt.libvirtError as e:
        r = failure(e)
    out.append(r)
for _ in range(20):
    libvirt.virEventRunDefaultImpl() if len(events) < 3 else None
print(json.dumps({'outcomes': out, 'events': events}))
`;

async function runTsvirt(): Promise<Run> {
  const conn = await connect('test:///default', { drivers: [driver] });
  const events: Run['events'] = [];
  conn.on('domain-lifecycle', (e: DomainLifecycleEvent) => events.push([e.domain.getName(), e.event, e.detail]));
  const d = await conn.lookupDomainByName('test');
  const xml = async () =>
    (await d.getXmlDesc(0))
      .split('\n')
      .filter((l) => l.includes('emory') || l.includes('<vcpu') || l.includes('<name'))
      .map((l) => l.trim())
      .join('|');
  const outcomes: Outcome[] = [];
  for (const [api, arg, flags] of STEPS) {
    try {
      if (api === 'setMemory') await d.setMemory(arg as number, flags ?? undefined);
      else if (api === 'setMaxMemory') await d.setMaxMemory(arg as number);
      else if (api === 'setVcpus') await d.setVcpus(arg as number, flags ?? undefined);
      else if (api === 'rename') await d.rename(arg as string, flags ?? 0);
      else if (api === 'destroy') await d.destroy();
      outcomes.push(api === 'xml' ? await xml() : 'ok');
    } catch (e) {
      outcomes.push(failure(e));
    }
  }
  await new Promise((r) => setTimeout(r, 20));
  await conn.close();
  return { outcomes, events };
}

describe.skipIf(!hasLibvirtPython)('test driver tuning and rename, step by step against libvirt-python', () => {
  it('gives the same results, errors and events as libvirt 9.0 test:///default', async () => {
    const expected = runPython<Run>(PY, STEPS);
    const actual = await runTsvirt();
    for (let i = 0; i < STEPS.length; i++) {
      expect({ step: STEPS[i], outcome: actual.outcomes[i] }).toEqual({
        step: STEPS[i],
        outcome: expected.outcomes[i],
      });
    }
    expect(actual.events).toEqual(expected.events);
  });
});
