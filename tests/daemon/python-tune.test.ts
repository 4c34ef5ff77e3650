/**
 * libvirt-python (Debian's python3-libvirt, /usr/bin/python3) through tsvirtd compared with the
 * same script on libvirt's own test:///default in process: tuning parameters (python asks for
 * the count, then the values, and learns the types before it sets), block info, guest time,
 * file systems and the domain's messages, with their errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tsvirtdForSuite } from './daemon-pair.js';

const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

const SCRIPT = `
import json, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open(sys.argv[1])
d = c.lookupByName('test')
calls = [
    lambda: d.memoryParameters(0),
    lambda: d.setMemoryParameters({'hard_limit': 4096, 'soft_limit': 2048}, 0),
    lambda: d.memoryParameters(0),
    lambda: d.memoryParameters(libvirt.VIR_DOMAIN_AFFECT_CONFIG),
    lambda: d.setMemoryParameters({'swap_hard_limit': 1}, 0),
    lambda: d.blkioParameters(0),
    lambda: d.setBlkioParameters({'weight': 250, 'device_write_bytes_sec': '/dev/x,1000'}, 0),
    lambda: d.blkioParameters(0),
    lambda: d.numaParameters(0),
    lambda: d.setNumaParameters({'numa_nodeset': '1-2'}, 0),
    lambda: d.numaParameters(0),
    lambda: d.setNumaParameters({'numa_mode': 1}, 0),
    lambda: d.blockInfo('vda', 0),
    lambda: d.blockInfo('nope', 0),
    lambda: d.getTime(0),
    lambda: d.setTime({'seconds': 42, 'nseconds': 9}, 0),
    lambda: d.getTime(0),
    lambda: d.fsInfo(0),
    lambda: d.messages(0),
    lambda: d.messages(4),
    lambda: d.destroy(),
    lambda: d.getTime(0),
    lambda: d.fsInfo(0),
    lambda: d.memoryParameters(libvirt.VIR_DOMAIN_AFFECT_LIVE),
]
out = []
for call in calls:
    try:
        out.append(call())
    except libvirt.libvirtError as e:
        out.append({'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': e.get_error_message()})
print(json.dumps(out))
`;

function runPython(uri: string): unknown {
  const r = spawnSync(PYTHON, ['-c', SCRIPT, uri], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe.skipIf(!hasLibvirtPython)('libvirt-python through tsvirtd: tuning and guest info', () => {
  const suite = tsvirtdForSuite();

  it('answers as libvirt 9.0 test:///default answers in process', () => {
    const local = runPython('test:///default');
    const remote = runPython(suite.ours.unixUri());
    expect(remote).toEqual(local);
  });
});
