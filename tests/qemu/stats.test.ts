/**
 * Statistics of a real guest: disk counters (query-blockstats) grow when the guest reads its
 * virtio disk, NIC counters come from the host side of a tap the test creates, and the memory
 * dominfo reports follows the balloon. tsvirsh domblkstat/domifstat print them as virsh does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, type Domain, ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsvirsh } from '../cli/run-both.js';
import { ConsoleLog, GUEST_BLOCK_STAT_FIELDS, GUEST_READY_LINE, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const qemuImg = spawnSync('qemu-img', ['--version']).status === 0;
const skip = typeof guest === 'string' ? guest : !qemuImg ? 'qemu-img is not installed (qemu-utils)' : undefined;
if (skip) console.warn(`skipping the QEMU stats tests: ${skip}`);

/** A tap of our own for the guest's NIC, when this process may create one (root with ip). */
function createTap(name: string): boolean {
  if (process.getuid?.() !== 0) return false;
  if (spawnSync('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']).status !== 0) return false;
  return spawnSync('ip', ['link', 'set', name, 'up']).status === 0;
}

describe.skipIf(skip !== undefined)('qemu driver statistics with a real guest', () => {
  const g = guest as TestGuest;
  const tap = `tsvst${process.pid % 100000}`;
  let root: string;
  let uri: string;
  let conn: Connection;
  let dom: Domain;
  let hasTap = false;
  let log: ConsoleLog;
  let write: (text: string) => Promise<void>;

  /**
   * tsvirsh in its own process reconnects to the guest's monitor, which takes one client at a
   * time: this process lets go of it meanwhile and reconnects after.
   */
  async function tsvirsh(args: string[]) {
    await conn.close();
    try {
      return await runTsvirsh(['-c', uri, ...args]);
    } finally {
      conn = await connect(uri, { drivers: [driver] });
      dom = await conn.lookupDomainByName('stats');
    }
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-stats-'));
    const disk = join(root, 'disk.qcow2');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']).status).toBe(0);
    hasTap = createTap(tap);
    if (!hasTap) console.warn('no tap device (needs root and ip tuntap): interface statistics are not checked');
    const nic = hasTap
      ? `<interface type='ethernet'><mac address='52:54:00:5a:00:01'/><target dev='${tap}' managed='no'/><model type='virtio'/></interface>`
      : '';
    const extra = `
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>${nic}`;
    uri = `qemu:///embed?root=${root}`;
    conn = await connect(uri, { drivers: [driver] });
    // Defined, so the tsvirsh processes below find it too.
    dom = await conn.defineDomainXml(guestXml(g, 'stats', extra));
    await dom.create();
    const console_ = await dom.openConsole();
    log = new ConsoleLog(console_.output);
    write = (text) => console_.write(Buffer.from(text));
    await log.waitFor(GUEST_READY_LINE, 0, 90_000);
  }, 120_000);

  afterAll(async () => {
    await dom?.destroy().catch(() => undefined);
    await dom?.undefine().catch(() => undefined);
    await conn?.close();
    if (hasTap) spawnSync('ip', ['link', 'del', tap]);
    rmSync(root, { recursive: true, force: true });
  });

  it('counts what the guest reads from its disk', async () => {
    const before = await dom.blockStatsFlags('vda');
    expect(before.map((p) => p.field)).toEqual(GUEST_BLOCK_STAT_FIELDS);
    const rdBefore = before.find((p) => p.field === 'rd_bytes')!.value;
    const at = log.text.length;
    await write('dd if=/dev/vda of=/dev/null bs=4096 count=256 iflag=direct 2>/dev/null; echo read-$?\n');
    await log.waitFor('read-0', at);
    const after = await dom.blockStats('vda');
    expect(after.rdBytes - rdBefore).toBeGreaterThanOrEqual(1024n * 1024n);
    expect(after.errs).toBe(-1n);
    // The source path names the same disk; '' sums every disk.
    const byPath = await dom.blockStats(join(root, 'disk.qcow2'));
    expect(byPath.rdBytes).toBe(after.rdBytes);
    const sum = await dom.blockStatsFlags('');
    expect(sum.find((p) => p.field === 'rd_bytes')!.value).toBe(after.rdBytes);
    await expectVirError(dom.blockStats('vdz'), ErrorCode.INVALID_ARG, 'invalid path: vdz');
  }, 60_000);

  it('prints domblkstat as virsh does', async () => {
    const r = await tsvirsh(['domblkstat', 'stats', 'vda']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^vda rd_req \d+\nvda rd_bytes \d+\nvda wr_req \d+\nvda wr_bytes \d+\nvda flush_operations \d+\nvda rd_total_times \d+\nvda wr_total_times \d+\nvda flush_total_times \d+\n\n$/,
    );
    const human = await tsvirsh(['domblkstat', 'stats', 'vda', '--human']);
    expect(human.stdout).toMatch(/^Device: vda\n number of read operations: {6}\d+\n number of bytes read: {11}\d+\n/);
    expect(human.stdout).toContain('\n total duration of flushes (ns): ');
    const bad = await tsvirsh(['domblkstat', 'stats', 'vdz']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('error: invalid argument: invalid path: vdz\n');
  }, 60_000);

  it('reports the NIC counters of the host tap, from the guest side', async (ctx) => {
    if (!hasTap) ctx.skip();
    const before = await dom.interfaceStats(tap);
    const at = log.text.length;
    // The guest's ARP requests leave through the NIC: guest tx is the tap's rx.
    await write(
      'ip addr add 10.213.0.2/24 dev eth0; ip link set eth0 up; ping -c 2 -W 1 10.213.0.1; echo pinged-$((1+1))\n',
    );
    await log.waitFor('pinged-2', at, 30_000);
    const after = await dom.interfaceStats('52:54:00:5A:00:01');
    if (after.txPackets === before.txPackets) console.log(log.text.slice(at));
    expect(after.txPackets).toBeGreaterThan(before.txPackets);
    expect(after.txBytes).toBeGreaterThan(before.txBytes);
    const r = await tsvirsh(['domifstat', 'stats', tap]);
    expect(
      r.stdout
        .split('\n')
        .slice(0, 8)
        .map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(
      ['rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop'].map(
        (f) => `${tap} ${f}`,
      ),
    );
    await expectVirError(dom.interfaceStats('vnet9'), ErrorCode.INVALID_ARG, "'vnet9' is not a known interface");
    const bad = await tsvirsh(['domifstat', 'stats', 'vnet9']);
    expect(bad.stderr).toBe(
      "error: Failed to get interface stats stats vnet9\nerror: invalid argument: 'vnet9' is not a known interface\n",
    );
  }, 60_000);

  it('reports the memory the balloon gives the guest', async () => {
    expect((await dom.getInfo()).memory).toBe(131072);
    await dom.qemuMonitorCommand('{"execute":"balloon","arguments":{"value":104857600}}');
    const deadline = Date.now() + 30_000;
    while ((await dom.getInfo()).memory !== 102400 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect((await dom.getInfo()).memory).toBe(102400);
    expect((await dom.getInfo()).maxMem).toBe(131072);
  }, 60_000);
});
