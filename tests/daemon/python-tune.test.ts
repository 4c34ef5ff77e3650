/**
 * libvirt-python (Debian's python3-libvirt, /usr/bin/python3) through tsvirtd compared with the
 * same script on libvirt's own test:///default in process: tuning parameters (python asks for
 * the count, then the values, and learns the types before it sets), block info, guest time,
 * file systems and the domain's messages, with their errors.
 */
import { describe, expect, it } from 'vitest';
import { hasLibvirtPython, runPython } from '../../packages/driver-test/test/libvirt-python.js';
import { tsvirtdForSuite } from './daemon-pair.js';

const SCRIPT = `
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
        out.append(failure(e))
print(json.dumps(out))
`;

const python = (uri: string) => runPython<unknown>(SCRIPT, undefined, [uri]);

describe.skipIf(!hasLibvirtPython)('libvirt-python through tsvirtd: tuning and guest info', () => {
  const suite = tsvirtdForSuite();

  it('answers as libvirt 9.0 test:///default answers in process', () => {
    const local = python('test:///default');
    const remote = python(suite.ours.unixUri());
    expect(remote).toEqual(local);
  });
});
