/**
 * virDomainGetHostname, virDomainGetControlInfo and virDomainGetMessages on tsvirt's test driver
 * against libvirt-python on libvirt's own test:///default: each flag, a shut-off domain, a
 * read-only connection (result or error code, domain and message).
 */
import { describe, expect, it } from 'vitest';
import { type Failure, hasLibvirtPython, onFreshDefault, runPython } from './libvirt-python.js';

/** [API, read-only connection, destroy the domain first, flags] */
type Step = ['hostname' | 'controlInfo' | 'messages', boolean, boolean, number];
const STEPS: Step[] = [
  ['hostname', false, false, 0],
  ['hostname', false, false, 1],
  ['hostname', false, false, 2],
  ['hostname', false, false, 4],
  ['hostname', true, false, 0],
  ['hostname', false, true, 0],
  ['hostname', true, true, 0],
  ['controlInfo', false, false, 0],
  ['controlInfo', false, false, 1],
  ['controlInfo', true, false, 0],
  ['controlInfo', false, true, 0],
  ['messages', false, false, 0],
  ['messages', false, false, 3],
  ['messages', false, false, 4],
  ['messages', true, false, 0],
  ['messages', false, true, 0],
];

type Outcome = string | number[] | string[] | Failure;

const PY = `
out = []
d = None
for api, ro, destroy, flags in json.load(sys.stdin):
    rw = libvirt.open('test:///default')
    c = libvirt.openReadOnly('test:///default') if ro else rw
    if destroy: rw.lookupByName('test').destroy()
    try:
        d = c.lookupByName('test')
        out.append(d.hostname(flags) if api == 'hostname' else d.messages(flags) if api == 'messages' else d.controlInfo(flags))
    except libvirt.libvirtError as e:
        out.append(failure(e))
    d = None  # the domain holds its connection: drop it so the state resets on close
    if c is not rw: c.close()
    rw.close()
print(json.dumps(out))
`;

async function runTsvirt(): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const [api, readOnly, destroyFirst, flags] of STEPS) {
    out.push(
      await onFreshDefault({ readOnly, destroyFirst }, async (c) => {
        const d = await c.lookupDomainByName('test');
        if (api === 'hostname') return d.getHostname(flags);
        if (api === 'messages') return d.getMessages(flags);
        const info = await d.getControlInfo(flags);
        return [info.state, info.details, info.stateTime];
      }),
    );
  }
  return out;
}

describe.skipIf(!hasLibvirtPython)(
  'domain hostname, control info and messages on the test driver, against libvirt-python',
  () => {
    it('gives the same names and errors as libvirt 9.0 test:///default', async () => {
      const expected = runPython<Outcome[]>(PY, STEPS);
      expect(expected[0]).toBe('testhost');
      const actual = await runTsvirt();
      STEPS.forEach((step, i) => {
        expect({ step, outcome: actual[i] }).toEqual({ step, outcome: expected[i] });
      });
    });
  },
);
