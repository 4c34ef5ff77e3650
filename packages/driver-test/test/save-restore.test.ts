/**
 * save, restore and managed save on tsvirt's test driver against libvirt-python on libvirt's own
 * test:///default: the same steps compared one by one (result, state, or error code, domain and
 * message) and in the lifecycle events raised. Images go to a temp dir; each side restores the
 * image it wrote, and tsvirt also restores the one libvirt wrote.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type DomainLifecycleEvent } from '@tsvirt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { failure, hasLibvirtPython, runPython } from './libvirt-python.js';

/** [step, argument, flags]; file arguments are names inside each side's own temp dir. */
type Step = [string, string, number];
const STEPS: Step[] = [
  ['managedSave', '', 8],
  ['managedSave', '', 0],
  ['state', '', 0],
  ['hasManagedSave', '', 0],
  ['listManagedSave', '', 0],
  ['managedSave', '', 0],
  ['undefine', '', 0],
  ['create', '', 0],
  ['state', '', 0],
  ['hasManagedSave', '', 0],
  ['managedSave', '', 0],
  ['managedSaveRemove', '', 1],
  ['managedSaveRemove', '', 0],
  ['hasManagedSave', '', 0],
  ['create', '', 0],
  ['save', 'missing/x.save', 0],
  ['save', 'a.save', 1],
  ['save', 'a.save', 0],
  ['state', '', 0],
  ['save', 'b.save', 0],
  ['restore', 'nope.save', 0],
  ['restore', 'a.save', 1],
  ['restore', 'a.save', 0],
  ['state', '', 0],
  ['restore', 'a.save', 0],
  ['xml', '', 0],
];

type Outcome = string | number[] | boolean | { code: number; domain: number; message: string };
interface Run {
  outcomes: Outcome[];
  events: [string, number, number][];
}

const PY = `
dir = sys.argv[1]
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open('test:///default')
events = []
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
    lambda conn, dom, ev, det, op: events.append([dom.name(), ev, det]), None)
d = c.lookupByName('test')
out = []
for step, arg, flags in json.load(sys.stdin):
    try:
        if step == 'managedSave': d.managedSave(flags); r = 'ok'
        elif step == 'managedSaveRemove': d.managedSaveRemove(flags); r = 'ok'
        elif step == 'hasManagedSave': r = bool(d.hasManagedSaveImage(0))
        elif step == 'listManagedSave': r = ','.join(x.name() for x in c.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE))
        elif step == 'undefine': d.undefineFlags(flags); r = 'ok'
        elif step == 'create': d.create(); r = 'ok'
        elif step == 'state': r = d.state()
        elif step == 'save': d.saveFlags(dir + '/' + arg, None, flags); r = 'ok'
        elif step == 'restore': c.restoreFlags(dir + '/' + arg, None, flags); r = 'ok'
        else: r = d.XMLDesc(0)
    except libvirt.libvirtError as e:
        r = failure(e)
        r['message'] = r['message'].replace(dir, 'DIR')
    out.append(r)
libvirt.virEventAddTimeout(5, lambda timer, opaque: None, None)
for _ in range(40):
    libvirt.virEventRunDefaultImpl()
print(json.dumps({'outcomes': out, 'events': events}))
`;

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tsvirt-dt-save-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function runTsvirt(dir: string): Promise<Run> {
  const conn = await connect('test:///default', { drivers: [driver] });
  const events: Run['events'] = [];
  conn.on('domain-lifecycle', (e: DomainLifecycleEvent) => events.push([e.domain.getName(), e.event, e.detail]));
  const d = await conn.lookupDomainByName('test');
  const outcomes: Outcome[] = [];
  const ok = async (call: Promise<unknown>): Promise<string> => {
    await call;
    return 'ok';
  };
  for (const [step, arg, flags] of STEPS) {
    try {
      if (step === 'managedSave') outcomes.push(await ok(d.managedSave(flags)));
      else if (step === 'managedSaveRemove') outcomes.push(await ok(d.managedSaveRemove(flags)));
      else if (step === 'hasManagedSave') outcomes.push(await d.hasManagedSaveImage(0));
      else if (step === 'listManagedSave')
        outcomes.push((await conn.listAllDomains(1 << 15)).map((x) => x.getName()).join(','));
      else if (step === 'undefine') outcomes.push(await ok(d.undefine(flags)));
      else if (step === 'create') outcomes.push(await ok(d.create()));
      else if (step === 'state') {
        const s = await d.getState();
        outcomes.push([s.state, s.reason]);
      } else if (step === 'save') outcomes.push(await ok(d.save(join(dir, arg), flags)));
      else if (step === 'restore') outcomes.push(await ok(conn.restoreDomain(join(dir, arg), flags)));
      else outcomes.push(await d.getXmlDesc(0));
    } catch (e) {
      const f = failure(e);
      outcomes.push({ ...f, message: f.message.replaceAll(dir, 'DIR') });
    }
  }
  await new Promise((r) => setTimeout(r, 20));
  await conn.close();
  return { outcomes, events };
}

describe.skipIf(!hasLibvirtPython)('test driver save/restore/managed save, step by step against libvirt-python', () => {
  it('gives the same results, errors, states and events as libvirt 9.0 test:///default', async () => {
    const expected = runPython<Run>(PY, STEPS, [work]);
    const mine = join(work, 'tsvirt');
    await mkdir(mine);
    const actual = await runTsvirt(mine);
    for (let i = 0; i < STEPS.length; i++) {
      expect({ step: STEPS[i], outcome: actual.outcomes[i] }).toEqual({
        step: STEPS[i],
        outcome: expected.outcomes[i],
      });
    }
    expect(actual.events).toEqual(expected.events);
  });

  it("restores an image libvirt's test driver wrote", async () => {
    const conn = await connect('test:///default', { drivers: [driver] });
    const d = await conn.lookupDomainByName('test');
    await d.destroy();
    const restored = await conn.restoreDomain(join(work, 'a.save'));
    expect(restored.getName()).toBe('test');
    expect(await restored.getState()).toEqual({ state: 1, reason: 3 });
    await conn.close();
  });
});
