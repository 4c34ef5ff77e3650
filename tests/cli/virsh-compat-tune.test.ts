/**
 * memtune, blkiotune, numatune, domblkinfo, domtime and domfsinfo: the same command sequences
 * through libvirt's own `virsh -c test:///default` and through tsvirsh must print the same
 * stdout and stderr and exit alike (values, "unlimited", unit scaling, every error wording,
 * --live/--config/--current on running, shut-off and transient domains, the XML written back).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from './run-both.js';
import { tuneCases } from './tune-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CASES = tuneCases(dir);

const hasVirsh = virshAvailable();
if (!hasVirsh) console.warn('tests/cli/virsh-compat-tune: `virsh` is not installed (libvirt-clients); skipping');

describe.skipIf(!hasVirsh)('tuning and block-info commands: tsvirsh matches virsh on test:///default', () => {
  for (const [group, lines] of Object.entries(CASES)) {
    describe.concurrent(group, () => {
      for (const line of lines) {
        it(line, async () => {
          const args = ['-c', 'test:///default', line];
          const [expected, actual] = await Promise.all([runVirsh(args), runTsvirsh(args)]);
          expect(actual).toEqual(expected);
        });
      }
    });
  }
});
