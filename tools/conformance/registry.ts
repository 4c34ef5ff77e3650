import type { ConformanceSuite } from './suite.js';
import { suites } from './suites/index.js';

export { DEFAULT_DATA_ROOT, runSuite } from './run-suite.js';

export function findSuites(names?: readonly string[]): ConformanceSuite[] {
  if (!names || names.length === 0) return suites;
  return names.map((n) => {
    const s = suites.find((x) => x.name === n);
    if (!s) throw new Error(`unknown suite '${n}' (known: ${suites.map((x) => x.name).join(', ')})`);
    return s;
  });
}
