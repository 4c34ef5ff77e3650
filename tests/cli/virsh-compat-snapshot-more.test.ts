/**
 * snapshot-dumpxml and snapshot-parent: tsvirsh and virsh print and exit alike. Whole snapshot
 * documents carry a creation time, masked because the two runs need not share a second.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunResult, runTsvirsh, runVirsh, virshAvailable } from './run-both.js';
import { describeSameOutput } from './same-output.js';

const TWO = 'snapshot-create-as test s1; snapshot-create-as test s2';

describeSameOutput('snapshot-dumpxml and snapshot-parent match virsh', import.meta.url, () => ({
  'snapshot-parent': [
    `${TWO}; snapshot-parent test s2; snapshot-parent test --current; snapshot-parent test --snapshotname s1`,
    `${TWO}; snapshot-parent test; snapshot-parent test --snapshotname nope`,
    `${TWO}; snapshot-parent test --snapshotname s2 --current; snapshot-parent nope --current`,
    'snapshot-parent test --current; snapshot-parent',
    'help snapshot-parent; snapshot-parent --help',
  ],
  'snapshot-dumpxml': [
    'snapshot-dumpxml test nope; snapshot-dumpxml nope s1',
    'snapshot-dumpxml test',
    'snapshot-dumpxml test s1 --bogus',
    'help snapshot-dumpxml',
  ],
  // Only the paths where virsh fails before it would open an editor.
  'snapshot-edit': [
    'snapshot-edit test; snapshot-edit test nope; snapshot-edit nosuch a',
    'snapshot-edit test a --rename --clone; snapshot-edit nosuch a --rename --clone; snapshot-edit test --current',
    'snapshot-edit; snapshot-edit test --bogus',
    'help snapshot-edit; snapshot-edit --help',
  ],
}));

/** Creation times, and the names snapshot-create makes from them. */
const mask = (text: string): string =>
  text.replace(/<creationTime>\d+<\/creationTime>/g, '<creationTime>T</creationTime>').replace(/\b\d{10}\b/g, 'T');
const masked = (r: RunResult): RunResult => ({ ...r, stdout: mask(r.stdout), stderr: mask(r.stderr) });

const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const F1 = join(dir, 'f1.xml');
writeFileSync(F1, '<domainsnapshot><name>f1</name><description>from file</description></domainsnapshot>');

describe.skipIf(!virshAvailable())('snapshot-dumpxml documents match virsh', () => {
  for (const line of [
    `${TWO}; snapshot-dumpxml test s1; snapshot-dumpxml test --snapshotname s2 --security-info`,
    `snapshot-create-as test a --description 'x & y'; snapshot-dumpxml test a`,
    // snapshot-create: from a file, with every default, its errors.
    `snapshot-create test ${F1}; snapshot-create test --xmlfile ${F1}; snapshot-dumpxml test f1; snapshot-current test --name`,
    'snapshot-create test; snapshot-list test --name; snapshot-create --domain test --halt; domstate test',
    `snapshot-create test /nonexist; snapshot-create nosuch ${F1}`,
    `snapshot-create test ${F1} --disk-only; snapshot-create test ${F1} --no-metadata; snapshot-list test --name`,
    `snapshot-create test ${F1} --bogus; snapshot-create`,
    'help snapshot-create; snapshot-create --help',
  ]) {
    it(line, async () => {
      const args = ['-c', 'test:///default', line];
      const [expected, actual] = await Promise.all([runVirsh(args), runTsvirsh(args)]);
      expect(masked(actual)).toEqual(masked(expected));
    });
  }
});
