/**
 * vCPU info, vCPU and emulator pinning, vCPU counts and the scheduler on tsvirt's test driver,
 * step by step beside libvirt-python on libvirt 9.0's own test:///default: every answer and
 * every error (code, domain, message) must be the same. CPU times come from the wall clock on
 * both sides and are compared only for being there.
 */
import { connect } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { PY, runSteps, SCRIPTS } from './cpu-tuning-steps.js';
import { hasLibvirtPython, runPython } from './libvirt-python.js';

describe.skipIf(!hasLibvirtPython)(
  'vCPUs, pinning and the scheduler on the test driver, against libvirt-python',
  () => {
    it('answers and fails as libvirt 9.0 test:///default, step by step', async () => {
      const expected = runPython<unknown[][]>(PY, SCRIPTS, ['test:///default']);
      const actual = await runSteps(() => connect('test:///default', { drivers: [driver] }));
      SCRIPTS.forEach((script, i) => {
        script.forEach((s, j) => {
          expect({ script: i, step: s, outcome: actual[i]?.[j] }).toEqual({
            script: i,
            step: s,
            outcome: expected[i]?.[j],
          });
        });
      });
    });
  },
);
