/**
 * tsvirt's remote client on the real libvirtd 9.0's test driver: the IOThread steps answer and
 * fail as libvirt-python sees them on test:///default in-process, so the procedures' numbers and
 * layouts are libvirt's.
 */
import { connect } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PY, runSteps, STEPS } from '../../packages/driver-test/test/iothread-steps.js';
import { hasLibvirtPython, runPython } from '../../packages/driver-test/test/libvirt-python.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();

describe.skipIf(unavailable !== undefined || !hasLibvirtPython)('IOThread calls against a real libvirtd', () => {
  let daemon: Libvirtd | undefined;
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('every step answers as libvirt-python on test:///default', async () => {
    const expected = runPython<unknown[]>(PY, STEPS, ['test:///default']);
    const uri = daemon?.tcpUri() ?? '';
    const actual = await runSteps(() => connect(uri, { drivers: [driver] }));
    STEPS.forEach((step, i) => {
      expect({ step, outcome: actual[i] }).toEqual({ step, outcome: expected[i] });
    });
  });
});
