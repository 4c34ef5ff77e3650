/**
 * Domain metadata over the wire (DOMAIN_SET_METADATA, DOMAIN_GET_METADATA and the
 * DOMAIN_EVENT_CALLBACK_METADATA_CHANGE message): Debian's virsh through tsvirtd prints what it
 * prints in-process on libvirt's test:///default; read-only sockets refuse the change alike;
 * `virsh event --event metadata-change` prints the same through tsvirtd as through the real
 * libvirtd (when it can run here), and tsvirsh through that libvirtd prints what virsh prints; libvirt-python's setMetadata/metadata through tsvirtd give
 * the same answers as in-process.
 */
import { describe, expect, it } from 'vitest';
import { hasLibvirtPython, runPython } from '../../packages/driver-test/test/libvirt-python.js';
import { runTsvirsh, runVirsh, virshAvailable } from '../cli/run-both.js';
import { daemonPairForSuite } from './daemon-pair.js';
import { listenWhile } from './virsh-listener.js';

const hasVirsh = virshAvailable();
const U = 'http://example.com/';

const PY = `
c = libvirt.open(sys.argv[1])
d = c.lookupByName('test')
out = []
def call(f):
    try:
        out.append(f())
    except libvirt.libvirtError as e:
        out.append(failure(e))
call(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '${U}', 0))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '<app><v n="1">x</v></app>', 'ex', '${U}', libvirt.VIR_DOMAIN_AFFECT_LIVE))
call(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '${U}', 0))
call(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '${U}', libvirt.VIR_DOMAIN_AFFECT_CONFIG))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_TITLE, 'a title', None, None, 0))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_TITLE, 'two\\nlines', None, None, 0))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, 'desc', None, '${U}', 0))
call(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_TITLE, None, 0))
call(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None, 3))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '<a>', 'ex', '${U}', 0))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '<a/>', '1x', '${U}', 0))
call(lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, None, None, '${U}', 0))
call(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, '${U}', 0))
call(lambda: d.XMLDesc(0))
print(json.dumps(out))
`;

const python = (uri: string) => runPython<unknown>(PY, undefined, [uri]);

describe.skipIf(!hasVirsh)('domain metadata through tsvirtd', () => {
  const pair = daemonPairForSuite();

  const same: [string, string][] = [
    [
      'desc: set, read back, title listed, removed',
      `desc test; desc test --title --new-desc "My title"; desc test --new-desc "a b"; desc test; desc test --title; list --title; desc test --new-desc ""; desc test`,
    ],
    [
      'desc: live and config across a restart',
      'destroy test; desc test --config --new-desc y; start test; desc test --live --new-desc z; desc test; desc test --config; dumpxml test --inactive',
    ],
    ['desc: errors', 'desc test --title "a\nb"; destroy test; desc test --live --new-desc x'],
    [
      'metadata: set, get, dumpxml, config/live, remove',
      `metadata test ${U}; metadata test ${U} --key foo --set "<bar a=\\"1\\">x<baz/></bar>"; metadata test ${U}; dumpxml test; metadata test ${U} --config; metadata test ${U} --key foo --config --set "<cfg/>"; metadata test ${U} --config; metadata test ${U} --key foo --remove --live; metadata test ${U} --live; metadata test ${U} --remove --live --config; metadata test ${U} --config`,
    ],
    [
      'metadata: errors (key, XML, no key)',
      'metadata test http://e/ --key 1bad --set "<a/>"; metadata test http://e/ --key k --set "<a>"; metadata test http://e/ --set "<a/>"; metadata test http://e/ --key k --set garbage',
    ],
    [
      'metadata: namespaces kept',
      'metadata test --key k http://e/ --set "<a xmlns=\\"http://other/\\"><b/></a>"; metadata test http://other/; metadata test http://e/ --key k2 --set "<k:c xmlns:k=\\"http://e/\\"/>"; metadata test http://e/; dumpxml test',
    ],
  ];
  for (const [label, line] of same) {
    it(`virsh: ${label}`, async () => {
      const local = await runVirsh(['-c', 'test:///default', line]);
      const remote = await runVirsh(['-c', pair.ours.unixUri(), line]);
      expect(remote).toEqual(local);
    });
  }

  for (const [label, line] of same) {
    it(`tsvirsh through libvirtd prints what virsh does: ${label}`, async (ctx) => {
      const theirs = pair.theirs;
      if (!theirs) ctx.skip();
      else {
        const ours = await runTsvirsh(['-c', theirs.unixUri(), line]);
        expect(ours).toEqual(await runVirsh(['-c', theirs.unixUri(), line]));
      }
    });
  }

  it('read-only socket: reads work, changes are refused with the same words', async () => {
    const line = `desc test; metadata test ${U}; desc test --new-desc x; metadata test ${U} --key k --set "<a/>"; metadata test ${U} --remove`;
    const local = await runVirsh(['-r', '-c', 'test:///default', line]);
    const remote = await runVirsh(['-c', pair.ours.roUri(), line]);
    expect(local.stderr).toContain('read only access prevents virDomainSetMetadata');
    expect(remote).toEqual(local);
  });

  const eventRun = (uri: string) =>
    listenWhile(uri, ['event', '--loop', '--event', 'metadata-change', '--timeout', '3'], () =>
      runVirsh([
        '-c',
        uri,
        `desc test --new-desc d; desc test --title --new-desc t; metadata test ${U} --key k --set "<a/>"; metadata test ${U} --remove; desc test --config --new-desc c`,
      ]),
    );

  it('virsh event --event metadata-change prints each change, as through libvirtd', async () => {
    const ours = await eventRun(pair.ours.unixUri());
    expect(ours.status).toBe(0);
    expect(ours.stdout.split('\n').filter((x) => x.startsWith("event 'metadata-change'"))).toHaveLength(5);
    if (pair.theirs) expect(ours).toEqual(await eventRun(pair.theirs.unixUri()));
  });

  it.skipIf(!hasLibvirtPython)('libvirt-python setMetadata/metadata through tsvirtd as in-process', () => {
    const local = python('test:///default');
    const remote = python(pair.ours.unixUri());
    expect(remote).toEqual(local);
    if (pair.theirs) expect(python(pair.theirs.unixUri())).toEqual(local);
  });
});
