import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario, type Step } from './runner.js';

/**
 * The same API calls through libvirt's own test driver (libvirt-python) and through tsvirt:
 * every result, every error's code, domain and message, and the lifecycle events must agree.
 */
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const scenarios = JSON.parse(readFileSync(here('scenarios.json'), 'utf8')) as Record<string, Step[]>;

function haveLibvirtPython(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;
}

describe.skipIf(!haveLibvirtPython())('parity with libvirt 9 test driver (python3-libvirt)', () => {
  for (const [name, steps] of Object.entries(scenarios)) {
    if (name.startsWith('_')) continue;
    it(name, async () => {
      const theirs = JSON.parse(
        execFileSync('/usr/bin/python3', [here('libvirt_runner.py')], {
          input: JSON.stringify(steps),
          encoding: 'utf8',
        }),
      );
      const ours = await runScenario(steps);
      const annotate = (o: { results: unknown[] }) =>
        o.results.map((r, i) => [JSON.stringify(steps[i]).slice(0, 60), r]);
      expect(annotate(ours)).toEqual(annotate(theirs));
      expect(ours.events).toEqual(theirs.events);
    });
  }
});
