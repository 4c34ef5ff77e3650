/**
 * desc and metadata: tsvirsh on tsvirt's test driver against Debian's virsh on libvirt's own
 * test:///default, in-process, whole command lines compared byte for byte (stdout, stderr, exit).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const hasVirsh = virshAvailable();
const U = 'http://example.com/';

const work = mkdtempSync(join(tmpdir(), 'tsvirt-metadata-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** A domain whose <metadata> has what libvirt drops: a plain element and a second one per namespace. */
const DOMAIN = join(work, 'md.xml');
writeFileSync(
  DOMAIN,
  `<domain type='test'>
  <name>md</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <title>T</title>
  <description>multi
line &amp; stuff</description>
  <metadata>
    <plain/>
    <x:b xmlns:x="http://x/" a="1"><x:c>text</x:c>
    <x:d/></x:b>
    <y:dup xmlns:y="http://x/"/>
    <app:info xmlns:app="http://app/"><app:v>1</app:v></app:info>
  </metadata>
  <memory>1024</memory>
  <os><type>hvm</type></os>
</domain>
`,
);

/** [label, one virsh command line (several commands separated by ';'), extra leading args] */
const CASES: [string, string, string[]?][] = [
  [
    'desc: none, set, read back, title in list, dumpxml, remove',
    `desc test; desc test --title; desc test --new-desc "hello world"; desc test; desc test --title --new-desc "My title"; desc test --title; list --title; dumpxml test; desc test --new-desc ""; desc test`,
  ],
  ['desc quiet', 'desc test; desc test --new-desc hi; desc test; desc test --title', ['-q']],
  ['desc words joined', 'desc test a b c; desc test'],
  ['desc title with a newline', 'desc test --title "a\nb"'],
  ['desc live and config together', 'desc test --live --config --new-desc x; desc test --config; desc test'],
  ['desc --current --live', 'desc test --current --live'],
  ['desc unknown domain', 'desc nosuch'],
  ['desc empty title removes', 'desc test --title --new-desc ""; desc test --title'],
  ['desc on a shut-off domain', 'destroy test; desc test --live; desc test --live --new-desc x'],
  [
    'desc config vs live across start/stop',
    'destroy test; desc test --config --new-desc y; desc test; start test; desc test --live --new-desc z; desc test; desc test --config; dumpxml test --inactive; destroy test; desc test',
  ],
  [
    'metadata: absent, set, get, dumpxml, config/live, remove',
    `metadata test ${U}; metadata test ${U} --key foo --set "<bar a=\\"1\\">x<baz><q>  y</q></baz></bar>"; metadata test ${U}; dumpxml test; metadata test ${U} --config; metadata test ${U} --key foo --config --set "<cfg/>"; metadata test ${U} --config; metadata test ${U} --live; metadata test ${U} --key foo --remove --live; metadata test ${U} --live; metadata test ${U} --config; metadata test ${U} --live --config; metadata test ${U} --remove --live --config; metadata test ${U} --config`,
  ],
  [
    'metadata quiet',
    `metadata test ${U} --key k --set "<a/>"; metadata test ${U}; metadata test ${U} --remove`,
    ['-q'],
  ],
  ['metadata: a URI that is no URI', 'metadata test "not a uri" --key x --set "<a/>"; metadata test "not a uri"'],
  ['metadata: bad key', 'metadata test http://e/ --key "1bad" --set "<a/>"'],
  ['metadata: no key', 'metadata test http://e/ --set "<a/>"'],
  ['metadata: not XML', 'metadata test http://e/ --key k --set "garbage"'],
  ['metadata: empty --set', 'metadata test http://e/ --key k --set ""'],
  ['metadata: remove what is absent', 'metadata test http://e/ --remove; metadata test http://e/ --key 1 --remove'],
  ['metadata: get with a key', 'metadata test http://e/ --key k'],
  ['metadata: exclusive options', 'metadata test http://e/ --key k --set "<a/>" --remove'],
  ['metadata: --edit with --set', 'metadata test http://e/ --key k --set "<a/>" --edit'],
  ['metadata: --edit with --remove', 'metadata test http://e/ --edit --remove'],
  ['metadata: --current --live', 'metadata test http://e/ --current --live'],
  ['metadata: no uri', 'metadata test'],
  ['metadata: unknown domain', 'metadata nosuch http://e/'],
  [
    'metadata: elements keep foreign namespaces and attributes',
    'metadata test --key k http://e/ --set "<a xmlns=\\"http://other/\\" xmlns:z=\\"http://z/\\"><b z:q=\\"1\\">t</b></a>"; dumpxml test; metadata test http://other/; metadata test http://e/ --key k2 --set "<k:c xmlns:k=\\"http://e/\\"/>"; metadata test http://e/; dumpxml test',
  ],
  [
    'metadata: prefixed children stay, plain ones join the key',
    'metadata test http://e/ --key k --set "<a x=\\"1\\" xmlns:p=\\"http://p/\\"><p:b/><c/></a>"; metadata test http://e/; dumpxml test --inactive; metadata test http://p/',
  ],
  [
    'metadata: replacing goes last, others stay',
    'metadata test http://a/ --key a --set "<one/>"; metadata test http://b/ --key b --set "<two/>"; metadata test http://a/ --key a --set "<three/>"; dumpxml test; metadata test http://a/',
  ],
  [
    'metadata on a shut-off domain',
    'destroy test; metadata test http://e/ --key k --set "<a/>"; metadata test http://e/ --live; metadata test http://e/ --config; start test; metadata test http://e/; dumpxml test',
  ],
  [
    'a defined domain keeps namespaced metadata, one per namespace',
    `define ${DOMAIN}; dumpxml md; metadata md http://x/; metadata md http://app/; desc md; desc md --title`,
  ],
  [
    'metadata: removing the last element leaves an empty <metadata/>',
    `metadata test ${U} --remove; dumpxml test; metadata test ${U} --key k --set "<a/>"; metadata test ${U} --remove; dumpxml test`,
  ],
  [
    'metadata: XML errors as libxml2 words them',
    'metadata test http://e/ --key k --set "<a><b>"; metadata test http://e/ --key k --set "<a/><b/>"; metadata test http://e/ --key k --set "<a/> x"; metadata test http://e/ --key k --set "<a>\n<b></b>\n <c>x"',
  ],
];

describe.skipIf(!hasVirsh)('desc and metadata: tsvirsh vs virsh on test:///default', () => {
  for (const [label, line, extra = []] of CASES) {
    it(label, async () => {
      const args = ['-c', 'test:///default', ...extra, line];
      const [ours, theirs] = await Promise.all([runTsvirsh(args), runVirsh(args)]);
      expect(ours).toEqual(theirs);
    });
  }
});
