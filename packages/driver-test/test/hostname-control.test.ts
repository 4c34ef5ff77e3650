/**
 * virDomainGetHostname, virDomainGetControlInfo and virDomainGetMessages on tsvirt's test driver
 * against libvirt-python on libvirt's own test:///default: each flag, a shut-off domain, a
 * read-only connection (result or error code, domain and message).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, VirError } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

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

type Outcome = string | number[] | string[] | { code: number; domain: number; message: string };

const PY = `
import json, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
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
        out.append({'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': e.get_error_message()})
    d = None  # the domain holds its connection: drop it so the state resets on close
    if c is not rw: c.close()
    rw.close()
print(json.dumps(out))
`;

async function runTsvirt(): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const [api, ro, destroy, flags] of STEPS) {
    // Each step on fresh state, as the python side (test:///default resets when its last connection closes).
    const rw = await connect('test:///default', { drivers: [driver] });
    const c = ro ? await connect('test:///default', { drivers: [driver], readOnly: true }) : rw;
    if (destroy) await (await rw.lookupDomainByName('test')).destroy();
    try {
      const d = await c.lookupDomainByName('test');
      if (api === 'hostname') out.push(await d.getHostname(flags));
      else if (api === 'messages') out.push(await d.getMessages(flags));
      else {
        const info = await d.getControlInfo(flags);
        out.push([info.state, info.details, info.stateTime]);
      }
    } catch (e) {
      if (!(e instanceof VirError)) throw e;
      out.push({ code: e.code, domain: e.domain, message: e.message });
    }
    if (c !== rw) await c.close();
    await rw.close();
  }
  return out;
}

describe.skipIf(!hasLibvirtPython)(
  'domain hostname, control info and messages on the test driver, against libvirt-python',
  () => {
    it('gives the same names and errors as libvirt 9.0 test:///default', async () => {
      const r = spawnSync(PYTHON, ['-c', PY], { input: JSON.stringify(STEPS), encoding: 'utf8', timeout: 20_000 });
      if (r.status !== 0) throw new Error(`libvirt-python failed: ${r.stderr}`);
      const expected = JSON.parse(r.stdout) as Outcome[];
      expect(expected[0]).toBe('testhost');
      const actual = await runTsvirt();
      STEPS.forEach((step, i) => {
        expect({ step, outcome: actual[i] }).toEqual({ step, outcome: expected[i] });
      });
    });
  },
);
