/**
 * IOThread procedures through tsvirtd on test:///default: libvirt-python through tsvirtd answers
 * every IOThread step as libvirt-python in-process on libvirt's own test driver.
 */
import { describe, expect, it } from 'vitest';
import { PY, STEPS } from '../../packages/driver-test/test/iothread-steps.js';
import { hasLibvirtPython, runPython } from '../../packages/driver-test/test/libvirt-python.js';
import { tsvirtdForSuite } from './daemon-pair.js';

describe.skipIf(!hasLibvirtPython)('IOThread procedures through tsvirtd', () => {
  const suite = tsvirtdForSuite();

  it('libvirt-python through tsvirtd answers every step as in-process', () => {
    const run = (uri: string) => runPython<unknown[]>(PY, STEPS, [uri]);
    expect(run(suite.ours.unixUri())).toEqual(run('test:///default'));
  });
});
