/**
 * Running one suite, and where the golden data lives. Kept apart from the suite list so a
 * package's tests can run its own suites without loading every driver's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceSuite, SuiteResult } from './suite.js';

/**
 * Default location of libvirt's golden data: $TSVIRT_CONFORMANCE_DATA when set (a checkout
 * elsewhere, e.g. a git worktree), else ../shared/conformance/libvirt beside the checkout.
 */
export const DEFAULT_DATA_ROOT =
  process.env.TSVIRT_CONFORMANCE_DATA ?? fileURLToPath(new URL('../../../shared/conformance/libvirt', import.meta.url));

export async function runSuite(suite: ConformanceSuite, dataRoot: string): Promise<SuiteResult> {
  const missing = suite.folders.find((f) => !existsSync(join(dataRoot, f)));
  if (missing) return { name: suite.name, passed: 0, failed: [], skipped: `${join(dataRoot, missing)} is absent` };
  let passed = 0;
  const failed: Array<{ name: string; reason: string }> = [];
  const incomplete: Array<{ name: string; reason: string }> = [];
  for (const c of await suite.cases(dataRoot)) {
    if (c.incomplete) {
      incomplete.push({ name: c.name, reason: c.incomplete });
      continue;
    }
    try {
      await c.run();
      passed++;
    } catch (err) {
      failed.push({ name: c.name, reason: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    }
  }
  return { name: suite.name, passed, failed, ...(incomplete.length ? { incomplete } : {}) };
}
