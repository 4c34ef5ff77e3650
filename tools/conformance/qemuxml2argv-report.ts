/**
 * `pnpm exec tsx tools/conformance/qemuxml2argv-report.ts [--data DIR] [--list]`: runs the qemuxml2argv suite
 * and prints a histogram of first-difference reasons (the option or device driver where each
 * failing case first departs from libvirt), most frequent first, so work goes where it unlocks
 * most cases. --list also prints every failing case with its reason.
 */
import { DEFAULT_DATA_ROOT, runSuite } from './registry.js';
import { suite } from './suites/qemuxml2argv.js';

/** "expected \"-device '{\"driver\":\"e1000\"…" → "-device e1000"; errors keep their first words. */
function reasonKey(reason: string): string {
  const m = /expected "(-[a-z-]+)(?: '?\{\\"(?:driver|qom-type|type|id)\\":\\"([^\\]+))?/.exec(reason);
  if (m) return m[2] ? `${m[1]} ${m[2]}` : m[1]!;
  const got = /expected "(-[a-z-]+ [^"]{0,50})/.exec(reason);
  if (got) return `${got[1]}`;
  return reason.slice(0, 60);
}

const dataArg = process.argv.indexOf('--data');
const dataRoot = dataArg > 0 ? process.argv[dataArg + 1]! : DEFAULT_DATA_ROOT;
const result = await runSuite(suite, dataRoot);
if (result.skipped) console.log(`skipped: ${result.skipped}`);
console.log(`${result.name}: ${result.passed} passed, ${result.failed.length} failed`);
console.log(`(${suite.note})`);
const counts = new Map<string, number>();
for (const f of result.failed) counts.set(reasonKey(f.reason), (counts.get(reasonKey(f.reason)) ?? 0) + 1);
for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${k}`);
if (process.argv.includes('--list')) for (const f of result.failed) console.log(`  ${f.name}: ${f.reason}`);
