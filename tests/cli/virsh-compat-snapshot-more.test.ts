/**
 * snapshot-dumpxml and snapshot-parent: tsvirsh and virsh print and exit alike. Whole snapshot
 * documents carry a creation time, masked because the two runs need not share a second.
 */
import { describe, expect, it } from 'vitest';
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

const masked = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout.replace(/<creationTime>\d+<\/creationTime>/g, '<creationTime>T</creationTime>'),
});

describe.skipIf(!virshAvailable())('snapshot-dumpxml documents match virsh', () => {
  for (const line of [
    `${TWO}; snapshot-dumpxml test s1; snapshot-dumpxml test --snapshotname s2 --security-info`,
    `snapshot-create-as test a --description 'x & y'; snapshot-dumpxml test a`,
  ]) {
    it(line, async () => {
      const args = ['-c', 'test:///default', line];
      const [expected, actual] = await Promise.all([runVirsh(args), runTsvirsh(args)]);
      expect(masked(actual)).toEqual(masked(expected));
    });
  }
});
