/**
 * One comparison suite for grouped command sequences: each line runs through libvirt's own
 * `virsh -c test:///default` and through tsvirsh, and both must print the same stdout and stderr
 * and exit alike. The cases get a temp directory for the files they write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

export function describeSameOutput(
  title: string,
  file: string,
  cases: (dir: string) => Record<string, readonly string[]>,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-cases-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hasVirsh = virshAvailable();
  if (!hasVirsh) console.warn(`${file}: \`virsh\` is not installed (libvirt-clients); skipping`);
  describe.skipIf(!hasVirsh)(title, () => {
    for (const [group, lines] of Object.entries(cases(dir))) {
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
}
