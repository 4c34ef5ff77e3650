/**
 * Domain checkpoint procedures (REMOTE_PROC_DOMAIN_CHECKPOINT_*) through tsvirtd on
 * test:///default: libvirt-python through tsvirtd answers every step of the shared checkpoint
 * scripts as libvirt-python in process on libvirt's own test driver, and Debian's virsh through
 * tsvirtd prints what it prints in process (read-write and read-only sockets).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PY, SCRIPTS } from '../../packages/driver-test/test/checkpoint-steps.js';
import { type RunResult, runVirsh, virshAvailable } from '../cli/run-both.js';
import { tsvirtdForSuite } from './daemon-pair.js';

const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

function runPython(uri: string): unknown {
  const r = spawnSync(PYTHON, ['-c', PY, uri], { input: JSON.stringify(SCRIPTS), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`libvirt-python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Creation times (and names made from them) differ between the two runs. */
const masked = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>')
    .replace(/<creationTime>\d+<\/creationTime>/g, '<creationTime>T</creationTime>')
    .replace(/\b1\d{9}\b/g, 'T'),
});

const SESSIONS: [string, string][] = [
  [
    'create, list, info, dumpxml, parent (CREATE_XML, LIST_ALL_CHECKPOINTS, LIST_ALL_CHILDREN, GET_XML_DESC, GET_PARENT)',
    'checkpoint-list test; checkpoint-create-as test c1 --description "x & y"; checkpoint-create-as test c2; ' +
      'checkpoint-create-as test c3; checkpoint-list test; checkpoint-list test --parent; checkpoint-list test --tree; ' +
      'checkpoint-list test --roots; checkpoint-list test --leaves --name; checkpoint-list test --topological; ' +
      'checkpoint-info test c2; checkpoint-dumpxml test c2; checkpoint-dumpxml test c1 --no-domain; ' +
      'checkpoint-dumpxml test c3 --security-info --size; checkpoint-parent test c3; checkpoint-parent test c1',
  ],
  [
    'delete (DOMAIN_CHECKPOINT_DELETE) and errors',
    'checkpoint-create-as test a; checkpoint-create-as test b; checkpoint-create-as test c; ' +
      'checkpoint-delete test b; checkpoint-list test --parent; checkpoint-delete test a --children-only; ' +
      'checkpoint-list test --name; checkpoint-delete test a --children --children-only; checkpoint-delete test nope; ' +
      'checkpoint-info test nope; destroy test; checkpoint-create-as test d; checkpoint-dumpxml test a --size',
  ],
];

describe('checkpoints through tsvirtd', () => {
  const suite = tsvirtdForSuite();

  it.skipIf(!hasLibvirtPython)('libvirt-python answers every step as on test:///default in process', () => {
    expect(runPython(suite.ours.unixUri())).toEqual(runPython('test:///default'));
  });

  for (const [title, seq] of SESSIONS) {
    it.skipIf(!virshAvailable())(`virsh: ${title}`, async () => {
      const expected = masked(await runVirsh(['-c', 'test:///default', seq]));
      const actual = masked(await runVirsh(['-c', suite.ours.unixUri(), seq]));
      expect(actual).toEqual(expected);
    });
  }

  it.skipIf(!virshAvailable())('virsh on the read-only socket: reads pass, changes are refused', async () => {
    const seq = 'checkpoint-list test; checkpoint-create-as test a; checkpoint-info test a; checkpoint-delete test a';
    const expected = await runVirsh(['-r', '-c', 'test:///default', seq]);
    const actual = await runVirsh(['-c', suite.ours.roUri(), seq]);
    expect(actual).toEqual(expected);
  });
});
