/**
 * setmem, setmaxmem and setvcpus: the same command sequences through libvirt's own
 * `virsh -c test:///default` and through tsvirsh must print the same stdout and stderr and exit alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resizeCases } from './resize-cases.js';
import { runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-resize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CASES = resizeCases(dir);

const hasVirsh = virshAvailable();
if (!hasVirsh) console.warn('tests/cli/virsh-compat-resize: `virsh` is not installed (libvirt-clients); skipping');

describe.skipIf(!hasVirsh)('setmem, setmaxmem and setvcpus: tsvirsh matches virsh on test:///default', () => {
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
