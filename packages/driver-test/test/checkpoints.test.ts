/**
 * Domain checkpoints on tsvirt's test driver,
 * step by step beside libvirt-python on libvirt 9.0's own test:///default: every answer and
 * every error (code, domain, message) must be the same.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { PY, runSteps, SCRIPTS } from './checkpoint-steps.js';

const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasLibvirtPython)('checkpoints on the test driver, against libvirt-python', () => {
  it('answers and fails as libvirt 9.0 test:///default, step by step', async () => {
    const r = spawnSync(PYTHON, ['-c', PY, 'test:///default'], {
      input: JSON.stringify(SCRIPTS),
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status !== 0) throw new Error(`libvirt-python failed: ${r.stderr}`);
    const expected = JSON.parse(r.stdout) as unknown[][];
    const actual = await runSteps(() => connect('test:///default', { drivers: [driver] }));
    // Every step of every script at once, so one run shows every difference.
    const label = (i: number, j: number) => ({ script: i, step: SCRIPTS[i]?.[j] });
    const mine = SCRIPTS.flatMap((script, i) => script.map((_, j) => ({ ...label(i, j), outcome: actual[i]?.[j] })));
    const theirs = SCRIPTS.flatMap((script, i) =>
      script.map((_, j) => ({ ...label(i, j), outcome: expected[i]?.[j] })),
    );
    expect(mine).toEqual(theirs);
  });
});
