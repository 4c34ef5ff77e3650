/** Helpers shared by the network/pool/volume round-trip suites. */
import { isVirError } from '../../../packages/core/src/errors/index.js';

/** The first differing line, for a one-line failure reason. */
export function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i])
      return `line ${i + 1}: expected ${JSON.stringify(e[i] ?? '<end>')}, got ${JSON.stringify(a[i] ?? '<end>')}`;
  }
  return 'outputs differ';
}

export function compareOutput(actual: string, expected: string): void {
  if (actual !== expected) throw new Error(firstDifference(actual, expected));
}

/** Runs `step`, which must fail with a VirError (anything else is a harness bug). */
export function expectVirError(step: () => unknown, what: string): void {
  try {
    step();
  } catch (err) {
    if (isVirError(err)) return;
    throw new Error(`${what} failed with a non-VirError: ${err instanceof Error ? err.message : String(err)}`);
  }
  throw new Error(`${what} succeeded, expected failure`);
}
