/**
 * tsvirt's remote client on the real libvirtd 9.0's test driver: the vCPU, pinning, scheduler and
 * node CPU map calls of the shared steps answer and fail exactly as libvirt-python sees them on
 * libvirt's test:///default in-process (so both the procedures' layouts and the client's way of
 * calling them — nparams from the scheduler type, maps cut per vCPU — are libvirt's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PY, runSteps, SCRIPTS } from '../../packages/driver-test/test/cpu-tuning-steps.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

describe.skipIf(unavailable !== undefined || !hasLibvirtPython)(
  'vCPU and scheduler calls against a real libvirtd',
  () => {
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
      SCRIPTS.forEach((script, i) => {
        script.forEach((s, j) => {
          let outcome = expected[i]?.[j];
          // After a pin to no CPU at all, libvirt writes <vcpupin cpuset=''/>, which its own parser
          // (and so tsvirt's client, which reads the XML into a definition) refuses.
          if (s[0] === 'cputune' && typeof outcome === 'string' && outcome.includes("cpuset=''")) {
            outcome = { code: 27, domain: 20, message: "XML error: Failed to parse bitmap ''" };
          }
          expect({ script: i, step: s, outcome: actual[i]?.[j] }).toEqual({ script: i, step: s, outcome });
        });
      });
    });
  },
);
