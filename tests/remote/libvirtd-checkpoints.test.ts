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
import { openFresh, PY, runSteps, SCRIPTS } from '../../packages/driver-test/test/checkpoint-steps.js';
import { type RunResult, runTsvirsh, runVirsh, virshAvailable } from '../cli/run-both.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
if (unavailable) console.warn(`[tests/remote] skipping the real-libvirtd checkpoint tests: ${unavailable}`);
const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

/** Creation times (and names made from them) differ between two runs. */
const masked = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>')
    .replace(/<creationTime>\d+<\/creationTime>/g, '<creationTime>T</creationTime>')
    .replace(/\b1\d{9}\b/g, 'T'),
});

/** tsvirsh through the wire to libvirtd, beside virsh to the same libvirtd. */
const SEQUENCES = [
  'checkpoint-create-as test c1 --description "a & b"; checkpoint-create-as test c2; checkpoint-create-as test c3; ' +
    'checkpoint-list test; checkpoint-list test --tree; checkpoint-list test --parent --topological; ' +
    'checkpoint-info test c2; checkpoint-dumpxml test c3; checkpoint-dumpxml test c1 --no-domain --size; checkpoint-parent test c1',
  'checkpoint-create-as test a; checkpoint-create-as test b; checkpoint-delete test a --children-only; ' +
    'checkpoint-list test --name; checkpoint-delete test a --children --children-only; checkpoint-delete test a; ' +
    'checkpoint-info test a; destroy test; checkpoint-create-as test c; checkpoint-list test',
];

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

  for (const seq of SEQUENCES) {
    it.skipIf(!virshAvailable())(`tsvirsh → libvirtd prints what virsh → libvirtd prints: ${seq}`, async () => {
      const uri = daemon?.tcpUri() ?? '';
      // libvirtd resets its test driver once it has seen the last connection go: wait for that.
      const settle = async () => (await openFresh(() => connect(uri, { drivers: [driver] }))).close();
      await settle();
      const expected = masked(await runVirsh(['-c', uri, seq]));
      await settle();
      const actual = masked(await runTsvirsh(['-c', uri, seq]));
      expect(actual).toEqual(expected);
    });
  }
});
