/**
 * vCPU, pinning, scheduler and node CPU map procedures through tsvirtd on test:///default:
 * Debian's virsh through tsvirtd prints what it prints in-process on libvirt's own test driver
 * (read-write and read-only sockets), and libvirt-python through tsvirtd answers every step as
 * libvirt-python in-process. vCPU times come from the clock on both sides and are left out.
 */
import { describe, expect, it } from 'vitest';
import { PY, SCRIPTS } from '../../packages/driver-test/test/cpu-tuning-steps.js';
import { hasLibvirtPython, runPython } from '../../packages/driver-test/test/libvirt-python.js';
import { type RunResult, runVirsh, virshAvailable } from '../cli/run-both.js';
import { tsvirtdForSuite } from './daemon-pair.js';
import type { Tsvirtd } from './tsvirtd.js';

const hasVirsh = virshAvailable();

/** vcpuinfo's CPU time is the wall clock's: only its presence compares. */
const withoutTimes = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout.replace(/^CPU time:( +)[0-9.]+s$/gm, 'CPU time:$1Ns'),
});

const SESSIONS: [string, string][] = [
  [
    'vcpuinfo (DOMAIN_GET_VCPUS, NODE_GET_CPU_MAP): running, --pretty, after pinning and setvcpus, shut off',
    'vcpuinfo test; vcpuinfo test --pretty; vcpupin test 0 2; vcpuinfo test; vcpuinfo test --pretty; setvcpus test 1 --live; vcpuinfo test; destroy test; vcpuinfo test; vcpuinfo test --pretty; vcpuinfo nosuch',
  ],
  [
    'vcpupin (DOMAIN_PIN_VCPU[_FLAGS], DOMAIN_GET_VCPU_PIN_INFO): list, set, each flag, bad lists and vCPUs',
    'vcpupin test; vcpupin test 0 1-3,^2; vcpupin test; vcpupin test --config; vcpupin test --live; vcpupin test 1; vcpupin test --vcpu 1; vcpupin test 0 r; vcpupin test 1 0,1 --current; vcpupin test; dumpxml test; dumpxml test --inactive; vcpupin test 0 1 --live; vcpupin test 0 1 --config; vcpupin test --config --live; vcpupin test 0 9; vcpupin test 0 ^0; vcpupin test 0 abc; vcpupin test 5 1; vcpupin test 3; vcpupin test -1',
  ],
  [
    'vcpupin on a shut-off domain',
    'destroy test; vcpupin test; vcpupin test --config; vcpupin test --live; vcpupin test 0 1; vcpupin test 0 1 --config',
  ],
  [
    'vcpucount (DOMAIN_GET_VCPUS_FLAGS): all, each flag, --guest, after setvcpus, shut off',
    'vcpucount test; vcpucount test --maximum --live; vcpucount test --current --config; vcpucount test --live --config; vcpucount test --guest; setvcpus test 1 --live; vcpucount test; destroy test; vcpucount test; vcpucount test --live',
  ],
  [
    'emulatorpin (DOMAIN_PIN_EMULATOR, DOMAIN_GET_EMULATOR_PIN_INFO): query, --config, --live, bad lists, shut off',
    'emulatorpin test; emulatorpin test 1 --config; emulatorpin test --config; emulatorpin test; dumpxml test --inactive; emulatorpin test 2-3 --live; emulatorpin test --live; dumpxml test; emulatorpin test 9; emulatorpin test ^0; emulatorpin test --live --config; destroy test; emulatorpin test; emulatorpin test 2; emulatorpin test --live; emulatorpin test 2 --config; dumpxml test',
  ],
  [
    'schedinfo (DOMAIN_GET_SCHEDULER_TYPE, [GET|SET]_SCHEDULER_PARAMETERS[_FLAGS]): get, --set, each flag, bad --set',
    'schedinfo test; schedinfo test --set weight=100; schedinfo test --live; schedinfo test --config; schedinfo test --current; schedinfo test --set weight=100 --live; schedinfo test weight=2; schedinfo test --set foo; schedinfo test --set cap=5; schedinfo nosuch; destroy test; schedinfo test; schedinfo test --set weight=3',
  ],
  ['nodecpumap (NODE_GET_CPU_MAP)', 'nodecpumap; nodecpumap --pretty'],
];

const READ_ONLY =
  'vcpuinfo test; vcpupin test; vcpupin test 0 1; vcpucount test; vcpucount test --guest; emulatorpin test; emulatorpin test 1; nodecpumap; schedinfo test; schedinfo test --set weight=100';

describe.skipIf(!hasVirsh)('vCPU and scheduler procedures: real virsh through tsvirtd on test:///default', () => {
  const suite = tsvirtdForSuite();
  const d = (): Tsvirtd => suite.ours;

  for (const [label, cmd] of SESSIONS) {
    it(label, async () => {
      const local = withoutTimes(await runVirsh(['-c', 'test:///default', cmd]));
      const remote = withoutTimes(await runVirsh(['-c', d().unixUri(), cmd]));
      expect(remote).toEqual(local);
    });
  }

  it('read-only socket: queries answer, pinning and --set are refused as libvirt refuses them', async () => {
    const local = withoutTimes(await runVirsh(['-r', '-c', 'test:///default', READ_ONLY]));
    const remote = withoutTimes(await runVirsh(['-c', d().roUri(), READ_ONLY]));
    expect(remote).toEqual(local);
    expect(remote.stderr).toContain('read only access prevents virDomainPinVcpu');
  });

  it.skipIf(!hasLibvirtPython)('libvirt-python through tsvirtd answers every step as in-process', () => {
    const run = (uri: string) => runPython<unknown[][]>(PY, SCRIPTS, [uri]);
    const local = run('test:///default');
    const remote = run(d().unixUri());
    expect(remote).toEqual(local);
  });
});
