/**
 * virDomainSetMetadata / virDomainGetMetadata on tsvirt's test driver against libvirt-python on
 * libvirt 9.0's own test:///default: one script of calls run on both, every result or error
 * (code, domain, message) and the domain XML in between compared. The metadata-change events
 * the calls raise are compared too.
 */
import { connect } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { failure, hasLibvirtPython, runPython } from './libvirt-python.js';

type Step =
  | ['set', number, string | null, string | null, string | null, number]
  | ['get', number, string | null, number]
  | ['xml', number]
  | ['destroy' | 'start' | 'ro-set' | 'ro-get' | 'transient'];

const U = 'http://x/';
const STEPS: Step[] = [
  ['set', 1, 'a\nb', null, null, 0],
  ['set', 0, 'a', null, U, 0],
  ['set', 0, 'a', 'k', null, 0],
  ['set', 2, '<a/>', 'k', null, 0],
  ['set', 2, '<a/>', null, U, 0],
  ['set', 2, '', null, U, 0],
  ['set', 2, null, null, U, 0],
  ['set', 3, 'x', null, null, 0],
  ['set', -1, 'x', null, null, 0],
  ['get', 3, null, 0],
  ['get', -1, null, 0],
  ['get', 0, null, 0],
  ['get', 1, null, 0],
  ['get', 0, U, 0],
  ['get', 2, null, 0],
  ['get', 0, null, 3],
  ['set', 0, 'x', null, null, 8],
  ['get', 0, null, 8],
  ['set', 0, 'both', null, null, 3],
  ['get', 0, null, 1],
  ['get', 0, null, 2],
  ['set', 0, '', null, null, 0],
  ['get', 0, null, 0],
  ['get', 0, null, 2],
  ['set', 0, 'hi & <b>', null, null, 0],
  ['get', 0, null, 0],
  ['set', 1, 'A title', null, null, 2],
  ['get', 1, null, 0],
  ['get', 1, null, 2],
  ['set', 2, "<a xmlns:k='http://y/'/>", 'k', U, 0],
  ['set', 2, '<a><b/></a>', 'k', U, 0],
  ['get', 2, U, 0],
  ['set', 2, '<a>', 'k', U, 0],
  ['set', 2, '<a>', '1', U, 0],
  ['set', 2, 'text', 'k', U, 0],
  ['set', 2, '<a/>', 'a:b', U, 0],
  ['set', 2, '<a/>', '', U, 0],
  ['set', 2, '<a/>', 'k', '', 0],
  ['get', 2, '', 0],
  ['set', 2, "<a x='1' xmlns:p='http://p/'><p:b/><c>t</c></a>", 'k', U, 2],
  ['get', 2, U, 2],
  ['get', 2, 'http://p/', 2],
  ['xml', 0],
  ['xml', 2],
  ['ro-set'],
  ['ro-get'],
  ['destroy'],
  ['set', 0, 'x', null, null, 1],
  ['get', 0, null, 1],
  ['set', 0, 'cfg', null, null, 2],
  ['get', 0, null, 0],
  ['xml', 0],
  ['start'],
  ['xml', 0],
  ['transient'],
];

type Outcome = unknown;

const PY = `
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open('test:///default')
events = []
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
    lambda conn, dom, mtype, nsuri, opaque: events.append([dom.name(), mtype, nsuri]), None)
d = c.lookupByName('test')
out = []
for s in json.load(sys.stdin):
    try:
        op = s[0]
        if op == 'set': out.append(d.setMetadata(s[1], s[2], s[3], s[4], s[5]))
        elif op == 'get': out.append(d.metadata(s[1], s[2], s[3]))
        elif op == 'xml': out.append(d.XMLDesc(s[1]))
        elif op == 'destroy': out.append(d.destroy())
        elif op == 'start': out.append(d.create())
        elif op == 'ro-set' or op == 'ro-get':
            ro = libvirt.openReadOnly('test:///default')
            rd = ro.lookupByName('test')
            out.append(rd.setMetadata(0, 'x', None, None, 0) if op == 'ro-set' else rd.metadata(0, None, 0))
            ro.close()
        elif op == 'transient':
            x = c.createXML("<domain type='test'><name>tr</name><memory>1024</memory><os><type>hvm</type></os></domain>", 0)
            try:
                x.setMetadata(0, 'x', None, None, 2)
                out.append(0)
            except libvirt.libvirtError as e:
                out.append(failure(e))
            out.append(x.metadata(0, None, 2))
    except libvirt.libvirtError as e:
        out.append(failure(e))
# Let the event loop deliver what the calls queued (a timer makes every turn return).
libvirt.virEventAddTimeout(20, lambda *a: None, None)
for _ in range(10): libvirt.virEventRunDefaultImpl()
print(json.dumps({'out': out, 'events': events}))
`;

async function runTsvirt(): Promise<{ out: Outcome[]; events: unknown[] }> {
  const c = await connect('test:///default', { drivers: [driver] });
  const events: unknown[] = [];
  c.on('domain-metadata-change', (e) => events.push([e.domain.getName(), e.type, e.nsuri ?? null]));
  const d = await c.lookupDomainByName('test');
  const out: Outcome[] = [];
  const opt = (v: string | null) => v ?? undefined;
  for (const s of STEPS) {
    try {
      switch (s[0]) {
        case 'set':
          await d.setMetadata(s[1], opt(s[2]), opt(s[3]), opt(s[4]), s[5]);
          out.push(0);
          break;
        case 'get':
          out.push(await d.getMetadata(s[1], opt(s[2]), s[3]));
          break;
        case 'xml':
          out.push(await d.getXmlDesc(s[1]));
          break;
        case 'destroy':
          await d.destroy();
          out.push(0);
          break;
        case 'start':
          await d.create();
          out.push(0);
          break;
        case 'ro-set':
        case 'ro-get': {
          const ro = await connect('test:///default', { drivers: [driver], readOnly: true });
          const rd = await ro.lookupDomainByName('test');
          try {
            if (s[0] === 'ro-set') {
              await rd.setMetadata(0, 'x', undefined, undefined, 0);
              out.push(0);
            } else out.push(await rd.getMetadata(0, undefined, 0));
          } finally {
            await ro.close();
          }
          break;
        }
        case 'transient': {
          const x = await c.createDomainXml(
            "<domain type='test'><name>tr</name><memory>1024</memory><os><type>hvm</type></os></domain>",
          );
          try {
            await x.setMetadata(0, 'x', undefined, undefined, 2);
            out.push(0);
          } catch (e) {
            out.push(failure(e));
          }
          out.push(await x.getMetadata(0, undefined, 2));
          break;
        }
      }
    } catch (e) {
      out.push(failure(e));
    }
  }
  // Events are delivered asynchronously, in order.
  await new Promise((r) => setImmediate(r));
  await c.close();
  return { out, events };
}

describe.skipIf(!hasLibvirtPython)('domain metadata on the test driver, against libvirt-python', () => {
  it('gives the same results, errors, XML and events as libvirt 9.0 test:///default', async () => {
    const expected = runPython<{ out: Outcome[]; events: unknown[] }>(PY, STEPS);
    const actual = await runTsvirt();
    const norm = (list: Outcome[]) => list.map((o) => (o === undefined ? null : o));
    const exp = norm(expected.out);
    const act = norm(actual.out);
    for (let i = 0; i < Math.max(exp.length, act.length); i++) {
      expect({ i, step: STEPS.at(i), outcome: act[i] }).toEqual({ i, step: STEPS.at(i), outcome: exp[i] });
    }
    // The python side really saw the events (its loop delivered them).
    expect(expected.events.length).toBeGreaterThan(5);
    expect(actual.events).toEqual(expected.events);
  });
});
