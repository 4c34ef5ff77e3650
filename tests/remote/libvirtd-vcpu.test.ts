/**
 * tsvirt's remote client on the real libvirtd 9.0's test driver: the vCPU, pinning, scheduler and
 * node CPU map calls of the shared steps answer and fail exactly as libvirt-python sees them on
 * libvirt's test:///default in-process (so both the procedures' layouts and the client's way of
 * calling them — nparams from the scheduler type, maps cut per vCPU — are libvirt's).
 */
import { connect } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PY, runSteps, SCRIPTS } from '../../packages/driver-test/test/cpu-tuning-steps.js';
import { hasLibvirtPython, runPython } from '../../packages/driver-test/test/libvirt-python.js';
import { type RunResult, runTsvirsh, runVirsh, virshAvailable } from '../cli/run-both.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();

/** vcpuinfo's CPU time is the wall clock's: only its presence compares. */
const withoutTimes = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout.replace(/^CPU time:( +)[0-9.]+s$/gm, 'CPU time:$1Ns'),
});

/** tsvirsh through the wire to libvirtd, beside virsh to the same libvirtd. */
const SEQUENCES = [
  'vcpuinfo test; vcpuinfo test --pretty; vcpupin test 0 2; vcpupin test; vcpuinfo test; dumpxml test',
  'vcpupin test 0 1 --live; vcpupin test 5 1; vcpupin test 3; vcpupin test 0 abc',
  'destroy test; vcpuinfo test; vcpupin test; vcpupin test 0 1; vcpucount test; vcpucount test --live',
  'vcpucount test; vcpucount test --guest; vcpucount test --maximum --config',
  'emulatorpin test; emulatorpin test 1 --config; emulatorpin test --config; dumpxml test --inactive; emulatorpin test --live --config',
  'schedinfo test; schedinfo test --set weight=5; schedinfo test --live; schedinfo test --set cap=1',
  'nodecpumap; nodecpumap --pretty',
];

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
      const expected = runPython<unknown[][]>(PY, SCRIPTS, ['test:///default']);
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

    for (const seq of SEQUENCES) {
      it.skipIf(!virshAvailable())(`tsvirsh → libvirtd prints what virsh → libvirtd prints: ${seq}`, async () => {
        const uri = daemon?.tcpUri() ?? '';
        const expected = withoutTimes(await runVirsh(['-c', uri, seq]));
        const actual = withoutTimes(await runTsvirsh(['-c', uri, seq]));
        expect(actual).toEqual(expected);
      });
    }
  },
);
