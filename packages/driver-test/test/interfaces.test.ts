/**
 * Host interfaces on tsvirt's test driver, step by step beside libvirt-python on libvirt 9.0's
 * own test driver: every answer and every error (code, domain, message) must be the same, on
 * test:///default and on a node file with interfaces of its own. Formatted XML is also checked
 * against libvirt's interface.rng with xmllint.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { type Outcome, PY, runSteps, SCRIPTS, type Step } from './interface-steps.js';

const PYTHON = '/usr/bin/python3';
const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;
const SCHEMA = '/work/shared/schemas/interface.rng';
const hasXmllint = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0 && existsSync(SCHEMA);

const dir = mkdtempSync(join(tmpdir(), 'tsvirt-ifaces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function libvirtOutcomes(uri: string, scripts: Step[][]): Outcome[][] {
  const r = spawnSync(PYTHON, ['-c', PY, uri], { input: JSON.stringify(scripts), encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`libvirt-python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Outcome[][];
}

function compare(scripts: Step[][], expected: Outcome[][], actual: Outcome[][]): void {
  scripts.forEach((script, i) => {
    script.forEach((s, j) => {
      expect({ script: i, step: s, outcome: actual[i]?.[j] }).toEqual({
        script: i,
        step: s,
        outcome: expected[i]?.[j],
      });
    });
  });
}

const NODE = `<node>
  <interface type='bridge' name='br9'>
    <start mode='hotplug'/>
    <bridge stp='on'>
      <interface type='ethernet' name='eth9'><mac address='52:54:00:09:09:09'/></interface>
    </bridge>
  </interface>
  <interface file='eth8.xml'/>
</node>
`;
const ETH8 = "<interface type='ethernet' name='eth8'><mac address='52:54:00:08:08:08'/><mtu size='9000'/></interface>";
const NODE_SCRIPTS: Step[][] = [
  [
    ['list', 0],
    ['list', 2],
    ['xml', 'br9', 0],
    ['xml', 'eth8', 0],
    ['byMac', '52:54:00:08:08:08'],
    ['stop', 'br9', 0],
  ],
];

describe.skipIf(!hasLibvirtPython)('host interfaces on the test driver, against libvirt-python', () => {
  it('answers and fails as libvirt 9.0 test:///default, step by step', async () => {
    const expected = libvirtOutcomes('test:///default', SCRIPTS);
    const actual = await runSteps(() => connect('test:///default', { drivers: [driver] }));
    compare(SCRIPTS, expected, actual);
  });

  it("loads a node file's <interface> elements (inline and file=) as libvirt does", async () => {
    writeFileSync(join(dir, 'node.xml'), NODE);
    writeFileSync(join(dir, 'eth8.xml'), ETH8);
    const uri = `test://${join(dir, 'node.xml')}`;
    const expected = libvirtOutcomes(uri, NODE_SCRIPTS);
    const actual = await runSteps(() => connect(uri, { drivers: [driver] }), NODE_SCRIPTS);
    compare(NODE_SCRIPTS, expected, actual);
  });
});

describe.skipIf(!hasXmllint)('formatted interface XML is valid against interface.rng', () => {
  it('every definition the scripts dump validates', async () => {
    const outcomes = await runSteps(() => connect('test:///default', { drivers: [driver] }));
    // The last script keeps libvirt 9.0's quirks, which its own schema refuses: left out.
    const docs = outcomes
      .slice(0, -1)
      .flatMap((script, i) =>
        script
          .filter((_, j) => SCRIPTS[i]?.[j]?.[0] === 'xml' && 'ok' in script[j]!)
          .map((o) => (o as { ok: string }).ok),
      );
    expect(docs.length).toBeGreaterThan(4);
    let checked = 0;
    for (const [k, doc] of docs.entries()) {
      const file = join(dir, `doc${k}.xml`);
      writeFileSync(file, doc);
      const r = spawnSync('xmllint', ['--noout', '--relaxng', SCHEMA, file], { encoding: 'utf8' });
      expect(r.status, `${doc}\n${r.stderr}`).toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
});
