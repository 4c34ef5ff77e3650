/**
 * vcpuinfo, vcpupin, vcpucount, emulatorpin, schedinfo and nodecpumap through libvirt's own
 * `virsh -c test:///default` and through tsvirsh: stdout, stderr and exit status identical,
 * byte for byte (each sequence a fresh process). Masked: the vCPU `CPU time:` value (the test
 * driver makes it from the wall clock).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunResult, runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const withoutTimes = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout.replace(/^CPU time:( +)[0-9.]+s$/gm, 'CPU time:$1Ns'),
});

/** A host of 4 CPUs and a guest with <vcpu cpuset>, a vCPU pin and an emulator pin. */
const nodeDir = mkdtempSync(join(tmpdir(), 'tsvirsh-vcpu-'));
const NODE = join(nodeDir, 'node.xml');
writeFileSync(
  NODE,
  `<node>
  <cpu><mhz>2000</mhz><model>i686</model><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads><active>4</active></cpu>
  <memory>2097152</memory>
  <domain type='test'>
    <name>fv0</name>
    <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
    <memory>262144</memory>
    <vcpu cpuset='1-2'>3</vcpu>
    <cputune><vcpupin vcpu='1' cpuset='3'/><emulatorpin cpuset='0'/></cputune>
    <os><type>hvm</type></os>
  </domain>
</node>
`,
);
/** A guest whose vCPU 1 of 3 is offline (<vcpus> with individual states). */
const IND = join(nodeDir, 'ind.xml');
writeFileSync(
  IND,
  `<domain type='test'><name>ind</name><memory>1024</memory><vcpu current='2'>3</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/><vcpu id='1' enabled='no' hotpluggable='yes'/><vcpu id='2' enabled='yes' hotpluggable='yes'/></vcpus><os><type>hvm</type></os></domain>`,
);
const NODE_SEQUENCES = [
  'nodecpumap; nodeinfo',
  'vcpuinfo fv0; vcpuinfo fv0 --pretty; vcpupin fv0; emulatorpin fv0; vcpupin fv0 2 0-3; vcpuinfo fv0; dumpxml fv0',
  'destroy fv0; vcpuinfo fv0; vcpupin fv0; emulatorpin fv0',
];

const SEQUENCES: string[] = [
  // vcpuinfo: running, --pretty, after a pin, shut off (pinning from the persistent definition)
  'vcpuinfo test; vcpuinfo test --pretty; vcpupin test 0 2; vcpuinfo test; vcpuinfo test --pretty; destroy test; vcpuinfo test; vcpuinfo test --pretty',
  'vcpuinfo nosuch',
  'vcpuinfo test --pretty --pretty',
  // vcpupin: list, set, per-vCPU, every flag, the XML it leaves
  'vcpupin test; vcpupin test 0 1-3,^2; vcpupin test; vcpupin test --config; vcpupin test --live; vcpupin test 1; vcpupin test --vcpu 1; vcpupin test 0 r; vcpupin test --vcpu 1 --cpulist 0,1 --current; vcpupin test; dumpxml test; dumpxml test --inactive',
  'vcpupin test 0 1 --live',
  'vcpupin test 0 1 --config',
  'vcpupin test --config --live',
  'vcpupin test --current --live',
  'vcpupin test --cpulist 1',
  'vcpupin test 0 9',
  'vcpupin test 0 0-1000',
  'vcpupin test 0 ^0',
  'vcpupin test 0 abc',
  'vcpupin test 0 2-1',
  'vcpupin test 0 ""',
  'vcpupin test 5 1',
  'vcpupin test 3',
  'vcpupin test -1',
  'vcpupin test " 1"; vcpupin test +1',
  'vcpupin nosuch 0 1',
  'destroy test; vcpupin test; vcpupin test --config',
  'destroy test; vcpupin test --live',
  'destroy test; vcpupin test 0 1',
  // vcpucount: the table, each flag, the guest, a shut-off domain
  'vcpucount test; vcpucount test --maximum --live; vcpucount test --current --config; vcpucount test --active; vcpucount test --current --live',
  'vcpucount test --live --config',
  'vcpucount test --active --maximum',
  'vcpucount test --guest --config',
  'vcpucount test --guest',
  'destroy test; vcpucount test; vcpucount test --maximum',
  'destroy test; vcpucount test --live',
  // emulatorpin: query and pin, each flag, the XML, a shut-off domain
  'emulatorpin test; emulatorpin test 1 --config; emulatorpin test --config; emulatorpin test; dumpxml test --inactive; emulatorpin test 2-3 --live; emulatorpin test --live; dumpxml test; emulatorpin test r; emulatorpin test',
  'emulatorpin test 9',
  'emulatorpin test ^0',
  'emulatorpin test --live --config',
  'emulatorpin test --cpulist 1 --live --config',
  'emulatorpin test --current --live',
  'destroy test; emulatorpin test; emulatorpin test 2',
  'destroy test; emulatorpin test --live',
  'destroy test; emulatorpin test 2 --config; dumpxml test',
  // schedinfo: the type and weight, --set in every spelling, each flag, bad values
  'schedinfo test; schedinfo test --set weight=100; schedinfo test weight=2; schedinfo test --weight 3; schedinfo test --set weight=-1',
  'schedinfo test --live',
  'schedinfo test --config',
  'schedinfo test --current',
  'schedinfo test --live --config',
  'schedinfo test --set weight=100 --live',
  'schedinfo test --live --config --set weight=1',
  'schedinfo test --set foo',
  'schedinfo test --set =1',
  'schedinfo test --set cap=5',
  'schedinfo test --cap 3',
  'schedinfo test --weight abc',
  'schedinfo test --set weight=abc',
  'schedinfo test --set weight=1 --set weight=2',
  'schedinfo nosuch',
  'destroy test; schedinfo test; schedinfo test --set weight=3',
  'nodecpumap; nodecpumap --pretty',
  `define ${IND}; start ind; vcpuinfo ind; vcpupin ind; vcpupin ind 1 1; vcpupin ind 2 1; vcpucount ind; vcpuinfo ind --pretty`,
  'help vcpuinfo; help vcpupin; help vcpucount; help emulatorpin; help schedinfo; help nodecpumap',
];

describe.skipIf(!virshAvailable())('tsvirsh vCPU and scheduler commands vs virsh on test:///default', () => {
  for (const seq of SEQUENCES) {
    it(seq, async () => {
      const expected = withoutTimes(await runVirsh(['-c', 'test:///default', seq]));
      const actual = withoutTimes(await runTsvirsh(['-c', 'test:///default', seq]));
      expect(actual).toEqual(expected);
    });
  }

  afterAll(() => rmSync(nodeDir, { recursive: true, force: true }));
  for (const seq of NODE_SEQUENCES) {
    it(`node file with its own topology and pins: ${seq}`, async () => {
      const uri = `test://${NODE}`;
      const expected = withoutTimes(await runVirsh(['-c', uri, seq]));
      const actual = withoutTimes(await runTsvirsh(['-c', uri, seq]));
      expect(actual).toEqual(expected);
    });
  }

  it('--json: vcpupin and vcpuinfo give one document each', async () => {
    const r = await runTsvirsh(['--json', '-c', 'test:///default', 'vcpupin test 0 1; vcpupin test; vcpuinfo test']);
    const docs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(docs[1]).toEqual([
      { vcpu: 0, affinity: '1' },
      { vcpu: 1, affinity: '0-7' },
    ]);
    expect(docs[2]).toMatchObject([
      { number: 0, cpu: 1, state: 1, affinity: '1' },
      { number: 1, cpu: 15, state: 1, affinity: '0-7' },
    ]);
  });
});
