/**
 * IOThreads on tsvirt's test driver beside libvirt-python on libvirt 9.0's test:///default: the
 * same sequence of add, pin, info, XML, params and delete calls, with every answer and error equal.
 */
import { connect } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { PY, runSteps, STEPS } from './iothread-steps.js';
import { hasLibvirtPython, runPython } from './libvirt-python.js';

describe.skipIf(!hasLibvirtPython)('IOThreads on the test driver, against libvirt-python', () => {
  it('answers and fails as libvirt 9.0 test:///default, step by step', async () => {
    const expected = runPython<unknown[]>(PY, STEPS, ['test:///default']);
    const actual = await runSteps(() => connect('test:///default', { drivers: [driver] }));
    STEPS.forEach((step, i) => {
      expect({ step, outcome: actual[i] }).toEqual({ step, outcome: expected[i] });
    });
  });
});
