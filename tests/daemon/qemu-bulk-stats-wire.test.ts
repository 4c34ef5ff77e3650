/**
 * Bulk domain stats of a real TCG guest of the qemu driver served by tsvirtd (qemu:///session in a
 * temp HOME), read over TCP by virsh 9.0 and by
 * tsvirt's remote client and tsvirsh domstats: the interface group from a host tap this test
 * creates (libvirtd running as nobody cannot open /dev/net/tun here, so this group is checked
 * against the tap's own kernel counters rather than against libvirtd), vCPU times against the
 * thread's /proc entry, and the state group following suspend/resume.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, type Domain, type StatsParam } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from '../cli/run-both.js';
import { guestXml, type TestGuest, testGuest } from '../qemu/guest.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const guest = testGuest();
const isRoot = process.getuid?.() === 0;
const skip = typeof guest === 'string' ? guest : !isRoot ? 'a tap device needs root' : undefined;
if (skip) console.warn(`skipping the qemu bulk-stats wire test: ${skip}`);

const COUNTERS = ['rx.bytes', 'rx.pkts', 'rx.errs', 'rx.drop', 'tx.bytes', 'tx.pkts', 'tx.errs', 'tx.drop'];
/** The tap's own counter behind each guest-side figure: what the host sends the guest receives. */
const TAP_COUNTER: Record<string, string> = {
  'rx.bytes': 'tx_bytes',
  'rx.pkts': 'tx_packets',
  'rx.errs': 'tx_errors',
  'rx.drop': 'tx_dropped',
  'tx.bytes': 'rx_bytes',
  'tx.pkts': 'rx_packets',
  'tx.errs': 'rx_errors',
  'tx.drop': 'rx_dropped',
};

const tapCounter = (tap: string, name: string): bigint =>
  BigInt(readFileSync(`/sys/class/net/${tap}/statistics/${name}`, 'utf8').trim());

describe.skipIf(skip !== undefined)('qemu bulk stats through tsvirtd and tsvirsh domstats', () => {
  const tap = `tsvbs${process.pid % 100000}`;
  let daemon: Tsvirtd;
  let root = '';
  let uri = '';
  let conn: Connection;
  let dom: Domain;

  const stats = async (groups = 0): Promise<readonly StatsParam[]> =>
    (await conn.domainListGetStats([dom], groups, 0))[0]!.params;
  const value = (params: readonly StatsParam[], field: string) => params.find((p) => p.field === field)?.value;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-bulk-wire-'));
    const disk = join(root, 'disk.qcow2');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '32M']).status).toBe(0);
    expect(spawnSync('ip', ['tuntap', 'add', 'dev', tap, 'mode', 'tap']).status).toBe(0);
    expect(spawnSync('ip', ['link', 'set', tap, 'up']).status).toBe(0);
    // qemu:///session in a temp HOME (virsh refuses embed URIs over the wire).
    const home = join(root, 'home');
    daemon = await startTsvirtd([], undefined, {
      HOME: home,
      XDG_RUNTIME_DIR: join(home, 'run'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
    });
    uri = `qemu+tcp://127.0.0.1:${daemon.port}/session`;
    conn = await connect(uri, { drivers: [driver] });
    dom = await conn.defineDomainXml(
      guestXml(
        guest as TestGuest,
        'bulkwire',
        `
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vdb' bus='virtio'/></disk>
    <interface type='ethernet'><mac address='52:54:00:5a:00:0b'/><target dev='${tap}' managed='no'/><model type='virtio'/></interface>`,
      ),
    );
    await dom.create();
  }, 60_000);

  afterAll(async () => {
    await dom?.destroy().catch(() => undefined);
    await dom?.undefine().catch(() => undefined);
    await conn?.close();
    if (daemon) {
      await daemon.stop();
      await removeTsvirtdDir(daemon);
    }
    spawnSync('ip', ['link', 'del', tap]);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the interface group: the tap by name, its counters seen from the guest', async () => {
    const before = Object.fromEntries(COUNTERS.map((c) => [c, tapCounter(tap, TAP_COUNTER[c]!)]));
    const params = await stats(0x10);
    const after = Object.fromEntries(COUNTERS.map((c) => [c, tapCounter(tap, TAP_COUNTER[c]!)]));
    expect(params.map((p) => [p.field, p.type])).toEqual([
      ['net.count', 'uint'],
      ['net.0.name', 'string'],
      ...COUNTERS.map((c) => [`net.0.${c}`, 'ullong']),
    ]);
    expect(value(params, 'net.count')).toBe(1);
    expect(value(params, 'net.0.name')).toBe(tap);
    for (const c of COUNTERS) {
      const v = value(params, `net.0.${c}`) as bigint;
      expect({ c, ok: v >= before[c]! && v <= after[c]! }).toEqual({ c, ok: true });
    }
  }, 30_000);

  it('vCPU and process times agree with /proc; the block group names the disk', async () => {
    // The vCPU thread's time is counted in clock ticks: give the booting guest a moment to run.
    let params = await stats(0x2 | 0x8 | 0x20);
    for (let i = 0; i < 50 && value(params, 'vcpu.0.time') === 0n; i++) {
      await new Promise((r) => setTimeout(r, 200));
      params = await stats(0x2 | 0x8 | 0x20);
    }
    const vcpuTime = value(params, 'vcpu.0.time') as bigint;
    expect(vcpuTime).toBeGreaterThan(0n);
    expect(vcpuTime).toBeLessThanOrEqual((value(params, 'cpu.time') as bigint) + 1_000_000_000n);
    expect(value(params, 'vcpu.0.state')).toBe(1);
    expect(value(params, 'block.count')).toBe(1);
    expect(value(params, 'block.0.name')).toBe('vdb');
    expect(value(params, 'block.0.path')).toBe(join(root, 'disk.qcow2'));
    expect(value(params, 'block.0.capacity')).toBe(32n * 1024n * 1024n);
  }, 30_000);

  it('the state group follows suspend and resume', async () => {
    await dom.suspend();
    expect((await stats(0x1)).map((p) => p.value)).toEqual([3, 1]); // PAUSED, PAUSED_USER
    await dom.resume();
    expect((await stats(0x1)).map((p) => p.value)).toEqual([1, 5]); // RUNNING, RUNNING_UNPAUSED
  }, 30_000);

  it('tsvirsh domstats prints every field in the order the API gives them', async () => {
    const api = await stats(0x1 | 0x4 | 0x8 | 0x10 | 0x20);
    const r = await runTsvirsh([
      '-c',
      uri,
      'domstats',
      'bulkwire',
      '--state',
      '--balloon',
      '--vcpu',
      '--interface',
      '--block',
    ]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe("Domain: 'bulkwire'");
    const fields = lines
      .slice(1)
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim().split('=')[0]);
    expect(fields).toEqual(api.map((p) => p.field));
    expect(r.stdout).toContain(`  net.0.name=${tap}\n`);
    // Every group bit tsvirsh sets with --enforce is one the driver knows.
    const enforced = await runTsvirsh(['-c', uri, 'domstats', '--enforce', '--list-active']);
    expect(enforced.stderr).toBe('');
    expect(enforced.stdout).toContain("Domain: 'bulkwire'\n  state.state=1\n  state.reason=5\n  cpu.time=");
  }, 60_000);

  it.skipIf(!virshAvailable())(
    'virsh 9.0 domstats through tsvirtd prints what tsvirsh prints',
    async () => {
      const args = ['-c', uri, 'domstats', 'bulkwire', '--state', '--vcpu', '--block', '--interface', '--balloon'];
      const [ours, theirs] = [await runTsvirsh(args), await runVirsh(args)];
      expect(theirs.stderr).toBe('');
      const shape = (out: string) => out.split('\n').map((l) => l.replace(/=\d+$/, '=N'));
      expect(shape(ours.stdout)).toEqual(shape(theirs.stdout));
    },
    60_000,
  );
});
