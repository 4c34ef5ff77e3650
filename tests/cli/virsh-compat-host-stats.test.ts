/**
 * Host statistics and bulk domain statistics: the same command sequences through libvirt's own
 * `virsh` and through tsvirsh, on test:///default and on a node file (which has no NUMA cells);
 * stdout, stderr and exit status identical byte for byte.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-host-stats-'));
const IOT = join(dir, 'iot.xml');
writeFileSync(
  IOT,
  `<domain type='test'>
  <name>iot</name>
  <memory>1048576</memory>
  <vcpu>2</vcpu>
  <iothreads>2</iothreads>
  <os><type>hvm</type></os>
</domain>
`,
);
const NODE = join(dir, 'node.xml');
writeFileSync(
  NODE,
  `<node>
  <cpu><mhz>6000</mhz><model>i986</model><active>50</active><nodes>4</nodes><sockets>4</sockets><cores>4</cores><threads>2</threads></cpu>
  <memory>8192000</memory>
</node>
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEFAULT_CASES: string[] = [
  'freecell',
  'freecell --all',
  'freecell 1',
  'freecell --cellno 0',
  'freecell --cellno 2',
  'freecell --cellno -1',
  'freecell --cellno abc',
  'freecell --all --cellno 0',
  'nodecpustats',
  'nodecpustats --cpu 0',
  'nodecpustats 7',
  'nodecpustats --cpu -1',
  'nodecpustats --cpu -2',
  'nodecpustats --cpu x',
  'nodecpustats --percent',
  'nodememstats',
  'nodememstats --cell 0',
  'nodecpumap',
  'nodecpumap --pretty',
  'cpu-models x86_64',
  'cpu-models i686',
  'cpu-models ppc64le',
  'cpu-models aarch64',
  'cpu-models s390x',
  'cpu-models sparc',
  'cpu-models riscv64',
  'cpu-models foo',
  'cpu-models',
  'domstats',
  'domstats --raw --state --cpu-total --balloon --vcpu --interface --block',
  'domstats --cpu-total',
  'domstats --iothread --perf --memory --dirtyrate --vm',
  'domstats --enforce',
  'domstats --enforce --state --iothread',
  'domstats --enforce --perf',
  'domstats --enforce --state --block',
  'domstats --backing --nowait',
  'domstats test',
  'domstats test test --state',
  'domstats nope',
  'domstats test nope',
  'domstats --list-active --list-inactive',
  'domstats --list-inactive',
  'domstats --list-active test',
  'destroy test; domstats; domstats --list-shutoff; domstats --list-inactive test; domstats --list-running test',
  // With two domains, the whole-host record order is libvirt's hash-table order: name them, or filter to one.
  `define ${IOT}; domstats --list-inactive; start iot; domstats --iothread iot test; domstats iot test; suspend iot; domstats --list-paused; domstats --list-running; domstats --list-other; domstats --list-transient`,
  `create ${IOT}; domstats --list-transient; destroy iot; domstats`,
];
// A node file's capabilities list no NUMA cells (only libvirt's built-in default host has them).
const NODE_CASES: string[] = [
  'freecell',
  'freecell --all',
  'freecell --cellno 0',
  'capabilities',
  'nodeinfo',
  'nodecpumap',
  'nodecpustats',
  'domstats',
];

const hasVirsh = virshAvailable();

describe.skipIf(!hasVirsh)('host statistics: tsvirsh matches virsh', () => {
  const cases = [
    ...DEFAULT_CASES.map((line) => ['-c', 'test:///default', line]),
    ...NODE_CASES.map((line) => ['-c', `test://${NODE}`, line]),
  ];
  describe.concurrent('commands', () => {
    for (const args of cases) {
      it(args.join(' '), async () => {
        const [expected, actual] = await Promise.all([runVirsh(args), runTsvirsh(args)]);
        expect(actual).toEqual(expected);
      });
    }
  });
});
