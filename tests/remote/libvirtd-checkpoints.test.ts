/**
 * tsvirt's remote client on the real libvirtd 9.0's test driver: every step of the shared
 * checkpoint scripts answers and fails exactly as libvirt-python sees it on libvirt's
 * test:///default in process, which checks the procedure numbers, layouts and the client's
 * reading of the checkpoint XML.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PY, runSteps, SCRIPTS } from '../../packages/driver-test/test/checkpoint-steps.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
if (unavailable) console.warn(`[tests/remote] skipping the real-libvirtd checkpoint tests: ${unavailable}`);
const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

describe.skipIf(unavailable !== undefined || !hasLibvirtPython)('checkpoint calls against a real libvirtd', () => {
  let daemon: Libvirtd | undefined;
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('every step answers as libvirt-python on test:///default', async () => {
    const r = spawnSync(PYTHON, ['-c', PY, 'test:///default'], {
      input: JSON.stringify(SCRIPTS),
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status !== 0) throw new Error(`libvirt-python failed: ${r.stderr}`);
    const expected = JSON.parse(r.stdout) as unknown[][];
    const uri = daemon?.tcpUri() ?? '';
    const actual = await runSteps(() => connect(uri, { drivers: [driver] }));
    const label = (i: number, j: number) => ({ script: i, step: SCRIPTS[i]?.[j] });
    expect(SCRIPTS.flatMap((s, i) => s.map((_, j) => ({ ...label(i, j), outcome: actual[i]?.[j] })))).toEqual(
      SCRIPTS.flatMap((s, i) => s.map((_, j) => ({ ...label(i, j), outcome: expected[i]?.[j] }))),
    );
  });
});
