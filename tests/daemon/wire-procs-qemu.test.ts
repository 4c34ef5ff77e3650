/**
 * Issue 5's QEMU-backed procedures through tsvirtd serving the qemu driver as qemu:///session with
 * the daemon's HOME and XDG directories in a temp dir (virsh refuses qemu:///embed with a
 * transport), on one real booted guest (tools/test-guest: Debian kernel + busybox): Debian's
 * virsh (libvirt's client against our dispatcher) and tsvirt's own client (both ends ours) run
 * domblkstat/domifstat, attach/detach-device, save/restore, managedsave/managedsave-remove,
 * qemu-monitor-command, domcapabilities and domxml-to-native. Every virsh run and every tsvirt
 * connection is its own daemon client; one at a time, since a guest's monitor takes one client.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AffectFlags, type Connection, connect, DomainState, DomainXmlFlags, ErrorCode } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, runVirsh, virshAvailable } from '../cli/run-both.js';
import { GUEST_BLOCK_STAT_FIELDS, guestXml, QEMU_BINARY, type TestGuest, testGuest } from '../qemu/guest.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const guest = testGuest();
const qemuImg = spawnSync('qemu-img', ['--version']).status === 0;
const skip =
  typeof guest === 'string'
    ? guest
    : !virshAvailable()
      ? 'virsh is not installed (libvirt-clients)'
      : !qemuImg
        ? 'qemu-img is not installed (qemu-utils)'
        : undefined;
if (skip) console.warn(`[tests/daemon] skipping the QEMU wire-procedure tests: ${skip}`);

/** A tap of our own for the guest's NIC, when this process may create one (root with ip). */
function createTap(name: string): boolean {
  if (process.getuid?.() !== 0) return false;
  if (spawnSync('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']).status !== 0) return false;
  return spawnSync('ip', ['link', 'set', name, 'up']).status === 0;
}

/** `vda rd_req 12` lines of virsh domblkstat/domifstat, by field. */
function counters(r: RunResult): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const m of r.stdout.matchAll(/^\S+ (\S+) (-?\d+)$/gm)) out.set(m[1]!, BigInt(m[2]!));
  return out;
}

describe.skipIf(skip !== undefined)('QEMU-backed procedures through tsvirtd, one real guest', () => {
  const g = guest as TestGuest;
  const tap = `tsvwp${process.pid % 100000}`;
  let t: Tsvirtd;
  let work: string;
  let hasTap = false;
  /** virsh's URI (unix socket, read-write or read-only) and tsvirt's (TCP). */
  let virshUri: string;
  let roUri: string;
  let clientUri: string;
  const virsh = (...args: string[]) => runVirsh(['-c', virshUri, ...args]);
  async function client<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const c = await connect(clientUri, { drivers: [driver] });
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  }
  /** Polls virsh domblkstat until the device has been read (the guest's kernel probed it). */
  async function waitForReads(dev: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await virsh('domblkstat', 'wp', dev);
      if ((counters(r).get('rd_req') ?? 0n) > 0n) return;
      if (Date.now() > deadline || r.stderr.includes('failed to connect'))
        throw new Error(`no reads on ${dev} after ${timeoutMs} ms: ${r.stdout}${r.stderr}`);
      await new Promise((res) => setTimeout(res, 1000));
    }
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tsvirt-wire-procs-'));
    const home = join(work, 'home');
    for (const disk of ['vda.qcow2', 'vdb.qcow2']) {
      expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(work, disk), '16M']).status).toBe(0);
    }
    await writeFile(
      join(work, 'vdb.xml'),
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${join(work, 'vdb.qcow2')}'/><target dev='vdb' bus='virtio'/></disk>\n`,
    );
    hasTap = createTap(tap);
    if (!hasTap) console.warn('no tap device (needs root and ip tuntap): domifstat is not checked');
    const nic = hasTap
      ? `<interface type='ethernet'><mac address='52:54:00:5a:00:07'/><target dev='${tap}' managed='no'/><model type='virtio'/></interface>`
      : '';
    const extra = `
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${join(work, 'vda.qcow2')}'/>
      <target dev='vda' bus='virtio'/>
    </disk>${nic}`;
    t = await startTsvirtd([], undefined, {
      HOME: home,
      XDG_RUNTIME_DIR: join(home, 'run'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
    });
    virshUri = `qemu+unix:///session?socket=${t.socket}`;
    roUri = `qemu+unix:///session?socket=${t.roSocket}`;
    clientUri = `qemu+tcp://127.0.0.1:${t.port}/session`;
    await client(async (c) => {
      const dom = await c.defineDomainXml(guestXml(g, 'wp', extra));
      await dom.create();
    });
    await waitForReads('vda', 120_000);
  }, 180_000);

  afterAll(async () => {
    // Never leave the guest behind, whatever failed.
    if (t) {
      await virsh('destroy', 'wp').catch(() => {});
      expect(await t.stop()).toBe(0);
      await removeTsvirtdDir(t);
    }
    if (hasTap) spawnSync('ip', ['link', 'del', tap]);
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('virsh domblkstat / domifstat (BLOCK_STATS_FLAGS with typed parameters, INTERFACE_STATS)', async () => {
    const blk = await virsh('domblkstat', 'wp', 'vda');
    expect(blk.stderr).toBe('');
    // virsh names the typed parameters its own way; all eight figures QEMU has come across.
    expect([...counters(blk).keys()]).toEqual([
      'rd_req',
      'rd_bytes',
      'wr_req',
      'wr_bytes',
      'flush_operations',
      'rd_total_times',
      'wr_total_times',
      'flush_total_times',
    ]);
    expect(counters(blk).get('rd_bytes')).toBeGreaterThan(0n);
    const human = await virsh('domblkstat', 'wp', 'vda', '--human');
    expect(human.stdout).toMatch(/^ number of read operations: +\d+$/m);
    const bad = await virsh('domblkstat', 'wp', 'vdz');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error: invalid argument: invalid path: vdz');
    if (hasTap) {
      const nic = await virsh('domifstat', 'wp', tap);
      expect(nic.stderr).toBe('');
      expect([...counters(nic).keys()]).toEqual([
        'rx_bytes',
        'rx_packets',
        'rx_errs',
        'rx_drop',
        'tx_bytes',
        'tx_packets',
        'tx_errs',
        'tx_drop',
      ]);
    }
  }, 30_000);

  it(
    "tsvirt's client: block and interface stats, the qemu monitor, domcapabilities, domxml-to-native",
    () =>
      client(async (c) => {
        const dom = await c.lookupDomainByName('wp');
        const figures = await dom.blockStatsFlags('vda');
        expect(figures.map((f) => f.field)).toEqual(GUEST_BLOCK_STAT_FIELDS);
        const blk = await dom.blockStats('vda');
        expect(blk.rdReq).toBeGreaterThanOrEqual(figures[0]!.value);
        expect(blk.errs).toBe(-1n);
        // '' sums every disk, as libvirt's qemu driver does.
        expect((await dom.blockStatsFlags('')).length).toBe(8);
        if (hasTap) expect(Object.keys(await dom.interfaceStats(tap))).toHaveLength(8);
        await expect(dom.interfaceStats('52:54:00:00:00:99')).rejects.toMatchObject({ code: ErrorCode.INVALID_ARG });
        expect(c.supports('domain.monitor')).toBe(true);
        const status = JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-status"}'));
        expect(status.return).toMatchObject({ running: true, status: 'running' });
        const caps = await c.getDomainCapabilities({ emulator: QEMU_BINARY, virtType: 'qemu' });
        expect(caps).toContain(`<path>${QEMU_BINARY}</path>`);
        const argv = await c.domainXmlToNative('qemu-argv', await dom.getXmlDesc(DomainXmlFlags.INACTIVE));
        expect(argv).toContain('-name guest=wp');
        expect(argv).toContain(join(work, 'vda.qcow2'));
      }),
    60_000,
  );

  it('virsh attach-device / detach-device --live: the guest probes the new disk, then loses it', async () => {
    const file = join(work, 'vdb.xml');
    const attached = await virsh('attach-device', 'wp', file, '--live');
    expect(attached).toEqual({ stdout: 'Device attached successfully\n\n', stderr: '', status: 0 });
    await waitForReads('vdb', 60_000);
    const again = await virsh('attach-device', 'wp', file, '--live');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('error: Failed to attach device from');
    const detached = await virsh('detach-device', 'wp', file, '--live');
    expect(detached).toEqual({ stdout: 'Device detached successfully\n\n', stderr: '', status: 0 });
    expect((await virsh('domblklist', 'wp')).stdout).not.toContain('vdb');
  }, 120_000);

  it(
    "tsvirt's client: attach and detach --config edit only the stored definition",
    () =>
      client(async (c) => {
        const dom = await c.lookupDomainByName('wp');
        const xml = `<disk type='file' device='disk'><source file='${join(work, 'vdb.qcow2')}'/><target dev='vdc' bus='virtio'/></disk>`;
        await dom.attachDevice(xml, AffectFlags.CONFIG);
        expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).toContain("<target dev='vdc' bus='virtio'/>");
        expect(await dom.getXmlDesc()).not.toContain("<target dev='vdc'");
        await dom.detachDevice(xml, AffectFlags.CONFIG);
        expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).not.toContain("<target dev='vdc'");
        await expect(dom.detachDevice(xml, AffectFlags.CONFIG)).rejects.toMatchObject({
          code: ErrorCode.DEVICE_MISSING,
        });
      }),
    30_000,
  );

  it('the read-only socket refuses save, attach-device and qemu-monitor-command with libvirt errors', async () => {
    const save = await runVirsh(['-c', roUri, 'save', 'wp', join(work, 'ro.save')]);
    expect(save.status).toBe(1);
    expect(save.stderr).toContain('error: operation forbidden: read only access prevents virDomainSave');
    const attach = await runVirsh(['-c', roUri, 'attach-device', 'wp', join(work, 'vdb.xml'), '--live']);
    expect(attach.stderr).toContain('read only access prevents virDomainAttachDeviceFlags');
    const mon = await runVirsh(['-c', roUri, 'qemu-monitor-command', 'wp', '{"execute":"query-status"}']);
    expect(mon.stderr).toContain('read only access prevents virDomainQemuMonitorCommand');
    // Still running and still readable there.
    expect((await runVirsh(['-c', roUri, 'domstate', 'wp'])).stdout).toBe('running\n\n');
  }, 30_000);

  it('virsh save / restore (DOMAIN_SAVE, DOMAIN_RESTORE)', async () => {
    const image = join(work, 'virsh.save');
    expect(await virsh('save', 'wp', image)).toEqual({
      stdout: `\nDomain 'wp' saved to ${image}\n\n`,
      stderr: '',
      status: 0,
    });
    expect((await virsh('domstate', 'wp')).stdout).toBe('shut off\n\n');
    expect(await virsh('restore', image)).toEqual({
      stdout: `Domain restored from ${image}\n\n`,
      stderr: '',
      status: 0,
    });
    expect((await virsh('domstate', 'wp')).stdout).toBe('running\n\n');
  }, 120_000);

  it(
    "tsvirt's client: save, restore, managed save and its removal",
    () =>
      client(async (c) => {
        const dom = await c.lookupDomainByName('wp');
        const image = join(work, 'client.save');
        await dom.save(image);
        expect((await dom.getState()).state).toBe(DomainState.SHUTOFF);
        const restored = await c.restoreDomain(image);
        expect(restored.getName()).toBe('wp');
        expect(restored.getID()).toBeGreaterThan(0);
        expect((await restored.getState()).state).toBe(DomainState.RUNNING);
        await restored.managedSave();
        expect(await restored.hasManagedSaveImage()).toBe(true);
        await restored.managedSaveRemove();
        expect(await restored.hasManagedSaveImage()).toBe(false);
      }),
    120_000,
  );

  it('virsh managedsave, dominfo, managedsave-remove, start', async () => {
    expect((await virsh('start', 'wp')).status).toBe(0);
    const saved = await virsh('managedsave', 'wp');
    expect(saved).toEqual({ stdout: "\nDomain 'wp' state saved by libvirt\n\n", stderr: '', status: 0 });
    expect((await virsh('dominfo', 'wp')).stdout).toMatch(/^Managed save: +yes$/m);
    const removed = await virsh('managedsave-remove', 'wp');
    expect(removed).toEqual({ stdout: "Removed managedsave image for domain 'wp'\n", stderr: '', status: 0 });
    expect((await virsh('dominfo', 'wp')).stdout).toMatch(/^Managed save: +no$/m);
    expect((await virsh('start', 'wp')).status).toBe(0);
  }, 120_000);
});
