/**
 * `pnpm -s conformance [--suite a,b] [--data DIR] [--verbose]`: runs libvirt's golden test data
 * through tsvirt and prints `SUITE: N passed, M failed` per suite, then the failing cases.
 */
import { resolve } from 'node:path';
import { DEFAULT_DATA_ROOT, findSuites, runSuite } from './registry.js';

function parseArgs(argv: string[]): { suites?: string[]; data: string } {
  let suites: string[] | undefined;
  let data = DEFAULT_DATA_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`option ${arg} needs a value`);
      return v;
    };
    if (arg === '--suite' || arg.startsWith('--suite=')) suites = value().split(',').filter(Boolean);
    else if (arg === '--data' || arg.startsWith('--data=')) data = resolve(value());
    else throw new Error(`unknown option '${arg}'`);
  }
  return { suites, data };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const results = [];
  for (const suite of findSuites(args.suites)) results.push(await runSuite(suite, args.data));
  for (const r of results) {
    if (r.skipped) console.log(`${r.name}: skipped (${r.skipped})`);
    else {
      const partial = r.incomplete?.length ? `, ${r.incomplete.length} incomplete in this data set` : '';
      console.log(`${r.name}: ${r.passed} passed, ${r.failed.length} failed${partial}`);
    }
    const note = findSuites([r.name])[0]?.note;
    if (note) console.log(`  (${note})`);
  }
  for (const r of results) {
    if (!r.incomplete?.length) continue;
    console.log(`\n${r.name} cases not run (data incomplete):`);
    for (const c of r.incomplete) console.log(`  ${c.name}: ${c.reason}`);
  }
  for (const r of results) {
    if (r.failed.length === 0) continue;
    console.log(`\n${r.name} failures:`);
    for (const f of r.failed) console.log(`  ${f.name}: ${f.reason}`);
  }
  return results.some((r) => r.failed.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
