/**
 * checkpoint-* commands: the same command sequences through libvirt's own
 * `virsh -c test:///default` and through tsvirsh must print the same stdout and stderr and exit
 * alike. Creation times (and names made from them) are masked: the two runs need not share a
 * second.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunResult, runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const F1 = file('f1.xml', '<domaincheckpoint><name>f1</name><description>from file</description></domaincheckpoint>');
const REDEF = file(
  'redef.xml',
  "<domaincheckpoint><name>r1</name><creationTime>1600000000</creationTime><parent><name>c1</name></parent><disks><disk name='vda'/></disks></domaincheckpoint>",
);
const BAD = file('bad.xml', '<domaincheckpoint><name>a/b</name></domaincheckpoint>');

/** A tree: c1 ← c2 ← c3, c1 ← r1 (redefined), c3 ← c4. */
const TREE = `checkpoint-create-as test c1 --description "first & one"; checkpoint-create-as test c2; checkpoint-create-as test c3; checkpoint-create ${REDEF} --redefine --domain test; checkpoint-create-as test c4`;

const CASES: Record<string, string[]> = {
  'checkpoint-list': [
    'checkpoint-list test',
    'checkpoint-list test --name; checkpoint-list test --tree; checkpoint-list test --parent',
    ...[
      '',
      '--name',
      '--parent',
      '--tree',
      '--roots',
      '--leaves',
      '--no-leaves',
      '--leaves --no-leaves',
      '--topological',
      '--topological --name',
      '--tree --topological',
      '--roots --name',
      '--from c1',
      '--from c1 --descendants',
      '--from c1 --tree',
      '--from c2 --tree',
      '--from c1 --descendants --tree',
      '--from c1 --topological --descendants --name',
      '--from c1 --parent',
      '--from c1 --leaves --descendants --name',
      '--from c4 --tree',
      '--from nope',
      '--descendants',
      '--tree --name',
      '--parent --roots',
      '--parent --tree',
      '--roots --tree',
      '--roots --from c1',
      '--leaves --tree',
      '--no-leaves --tree',
    ].map((q) => `${TREE}; checkpoint-list test ${q}`),
    'checkpoint-list nosuch',
    'checkpoint-list',
    'checkpoint-list test --bogus',
  ],
  'checkpoint-create and checkpoint-create-as': [
    'checkpoint-create-as test; checkpoint-list test --name',
    'checkpoint-create-as test a b; checkpoint-info test a; checkpoint-dumpxml test a --no-domain',
    `checkpoint-create test ${F1}; checkpoint-create test --xmlfile ${F1}; checkpoint-dumpxml test f1 --no-domain`,
    'checkpoint-create test; checkpoint-list test --name',
    `checkpoint-create test ${F1} --redefine; checkpoint-create test ${F1} --redefine-validate`,
    `checkpoint-create test ${F1} --redefine --redefine-validate; checkpoint-create test ${F1} --quiesce; checkpoint-create test ${F1} --redefine --quiesce`,
    `checkpoint-create test ${BAD}; checkpoint-create test /nonexist; checkpoint-create nosuch ${F1}`,
    "checkpoint-create-as test --print-xml --name a --description 'x<y' --diskspec vda,checkpoint=bitmap,bitmap=b1 --diskspec vdb,checkpoint=no",
    'checkpoint-create-as test --diskspec vda,bogus=1; checkpoint-create-as test --diskspec vda,checkpoint=no,checkpoint=no',
    'checkpoint-create-as test p --diskspec /guest/diskimage1; checkpoint-dumpxml test p --no-domain',
    'checkpoint-create-as test q --diskspec vda,checkpoint=no; checkpoint-dumpxml test q --no-domain; checkpoint-create-as test r --diskspec vdb',
    'checkpoint-create-as test q --quiesce; checkpoint-create-as test q; checkpoint-create-as test --name ""',
    'checkpoint-create-as nosuch --diskspec vda,bogus=1',
    'snapshot-create-as test s; checkpoint-create-as test a; snapshot-delete test s; checkpoint-create-as test a; snapshot-create-as test t',
    'destroy test; checkpoint-create-as test a; checkpoint-list test',
  ],
  'undefine with checkpoints (virsh falls back from the flags the test driver refuses)': [
    'checkpoint-create-as test a; list --with-checkpoint; list --without-checkpoint --all; undefine test --checkpoints-metadata; list --all; checkpoint-list test',
    'checkpoint-create-as test a; destroy test; undefine test --checkpoints-metadata; list --all',
    'checkpoint-create-as test a; undefine test; checkpoint-list test --name; destroy test; list --all',
    'undefine test --checkpoints-metadata; undefine test --checkpoints-metadata',
    'checkpoint-create-as test a; undefine test --checkpoints-metadata --snapshots-metadata; list --all',
    'snapshot-create-as test s; destroy test; undefine test --checkpoints-metadata',
    'snapshot-create-as test s; destroy test; undefine test --checkpoints-metadata --snapshots-metadata; list --all',
    'destroy test; start test; managedsave test; undefine test --checkpoints-metadata; undefine test --checkpoints-metadata --managed-save; list --all',
    'checkpoint-create-as test a; undefine test --checkpoints-metadata --nvram',
    'undefine test --nvram; undefine test --keep-nvram; list --all',
    'undefine test --tpm; destroy test; list --all',
    'undefine test --keep-tpm --managed-save; list --all',
  ],
  'checkpoint-info, -dumpxml, -parent, -delete, -edit': [
    `${TREE}; checkpoint-info test c1; checkpoint-info test c3; checkpoint-info test r1; checkpoint-info test`,
    `${TREE}; checkpoint-dumpxml test c4; checkpoint-dumpxml test r1; checkpoint-dumpxml test c2 --security-info --no-domain --size`,
    `${TREE}; checkpoint-dumpxml test; checkpoint-dumpxml test nope; checkpoint-dumpxml test c1 --xpath //name; destroy test; checkpoint-dumpxml test c1 --size; checkpoint-dumpxml test c1 --no-domain`,
    `${TREE}; checkpoint-parent test c4; checkpoint-parent test r1; checkpoint-parent test c1; checkpoint-parent test; checkpoint-parent test --checkpointname nope`,
    `${TREE}; checkpoint-delete test c2; checkpoint-list test --parent; checkpoint-create-as test c5; checkpoint-parent test c5`,
    `${TREE}; checkpoint-delete test c1 --children-only; checkpoint-list test --tree; checkpoint-create-as test c6; checkpoint-parent test c6`,
    `${TREE}; checkpoint-delete test c3 --metadata; checkpoint-delete test c1 --children; checkpoint-list test; checkpoint-create-as test c7; checkpoint-info test c7`,
    `${TREE}; checkpoint-delete test c1 --children --children-only; checkpoint-delete test nope; checkpoint-delete test; checkpoint-list test --name`,
    'checkpoint-edit test; checkpoint-edit test nope; checkpoint-edit nosuch a',
    "checkpoint-info test ''; checkpoint-info nosuch a",
    'help checkpoint',
    ...[
      'checkpoint-create',
      'checkpoint-create-as',
      'checkpoint-list',
      'checkpoint-info',
      'checkpoint-dumpxml',
      'checkpoint-parent',
      'checkpoint-delete',
      'checkpoint-edit',
    ].map((c) => `help ${c}`),
  ],
};

const mask = (r: RunResult): RunResult => {
  const fix = (s: string) =>
    s
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>')
      .replace(/<creationTime>1[0-9]{9}<\/creationTime>/g, (m) =>
        m.includes('1600000000') ? m : '<creationTime>T</creationTime>',
      )
      .replace(/\b17\d{8}\b/g, 'T');
  return { stdout: fix(r.stdout), stderr: fix(r.stderr), status: r.status };
};

const hasVirsh = virshAvailable();
if (!hasVirsh) console.warn('tests/cli/virsh-compat-checkpoint: `virsh` is not installed (libvirt-clients); skipping');

describe.skipIf(!hasVirsh)('checkpoint commands: tsvirsh matches virsh on test:///default', () => {
  for (const [group, lines] of Object.entries(CASES)) {
    describe.concurrent(group, () => {
      for (const line of lines) {
        it(line, async () => {
          const args = ['-c', 'test:///default', line];
          const [expected, actual] = await Promise.all([runVirsh(args), runTsvirsh(args)]);
          expect(mask(actual)).toEqual(mask(expected));
        });
      }
    });
  }
});
