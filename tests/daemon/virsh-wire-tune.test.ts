/**
 * The tuning-parameter, block-info, guest-time and guest-file-system procedures from Debian's
 * virsh through tsvirtd on test:///default, compared with the same virsh in-process on libvirt's
 * own test driver: every command sequence of tests/cli/tune-cases.ts, plus the read-only socket
 * (reads pass, changes and the guest-agent calls are refused as libvirt refuses them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVirsh, virshAvailable } from '../cli/run-both.js';
import { tuneCases } from '../cli/tune-cases.js';
import { tsvirtdForSuite } from './daemon-pair.js';
import type { Tsvirtd } from './tsvirtd.js';

const hasVirsh = virshAvailable();
const dir = mkdtempSync(join(tmpdir(), 'tsvirt-wire-tune-'));
const CASES = tuneCases(dir);

const READ_ONLY = [
  'memtune test; blkiotune test; numatune test; domblkinfo test vda; domblkinfo test --all',
  'memtune test --hard-limit 5',
  'blkiotune test --weight 5',
  'numatune test --nodeset 0',
  'domtime test',
  'domtime test --time 5',
  'domfsinfo test',
];

describe.skipIf(!hasVirsh)('tuning and block-info procedures: real virsh through tsvirtd', () => {
  const suite = tsvirtdForSuite();
  const d = (): Tsvirtd => suite.ours;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [group, lines] of Object.entries(CASES)) {
    describe(group, () => {
      for (const line of lines) {
        it(line, async () => {
          const local = await runVirsh(['-c', 'test:///default', line]);
          const remote = await runVirsh(['-c', d().unixUri(), line]);
          expect(remote).toEqual(local);
        });
      }
    });
  }
  describe('read-only socket', () => {
    for (const line of READ_ONLY) {
      it(line, async () => {
        const local = await runVirsh(['-r', '-c', 'test:///default', line]);
        const remote = await runVirsh(['-c', d().roUri(), line]);
        expect(remote).toEqual(local);
      });
    }
  });
});
