/**
 * Disk and NIC hot-plug on a real guest: the guest's kernel sees the new virtio disk (vdb in
 * /sys/block) and NIC, and loses them again on detach (DEVICE_DELETED); --config edits the
 * stored definition only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AffectFlags, type Connection, connect, type Domain, DomainXmlFlags, ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsvirsh } from '../cli/run-both.js';
import { ConsoleLog, GUEST_READY_LINE, guestXml, runOnConsole, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const qemuImg = spawnSync('qemu-img', ['--version']).status === 0;
const skip = typeof guest === 'string' ? guest : !qemuImg ? 'qemu-img is not installed (qemu-utils)' : undefined;
if (skip) console.warn(`skipping the QEMU hot-plug tests: ${skip}`);

describe.skipIf(skip !== undefined)('qemu driver device hot-plug with a real guest', () => {
  const g = guest as TestGuest;
  let root: string;
  let conn: Connection;
  let dom: Domain;
  let diskFile: string;
  let diskXml: string;
  const nicXml = "<interface type='user'><mac address='52:54:00:aa:00:07'/><model type='virtio'/></interface>";

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-hotplug-'));
    diskFile = join(root, 'extra.qcow2');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', diskFile, '32M']).status).toBe(0);
    diskXml = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${diskFile}'/><target dev='vdb' bus='virtio'/></disk>`;
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    dom = await conn.defineDomainXml(guestXml(g, 'hotplug'));
    await dom.create();
    const c = await dom.openConsole();
    await new ConsoleLog(c.output).waitFor(GUEST_READY_LINE, 0, 90_000);
    await c.close();
  }, 120_000);
  afterAll(async () => {
    await dom?.destroy().catch(() => undefined);
    await conn?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('attaches a disk the guest sees, and detaches it', async () => {
    await runOnConsole(dom, 'echo none-$(ls /sys/block | grep -c ^vd)-x', 'none-0-x', { waitMs: 2_000, retries: 15 });
    await dom.attachDevice(diskXml, AffectFlags.LIVE);
    // The guest names virtio disks in its own order: its first one is vda whatever the target.
    await runOnConsole(dom, 'echo blk-$(ls /sys/block | grep ^vd | tr "\\n" ,)', 'blk-vda,', {
      waitMs: 2_000,
      retries: 15,
    });
    expect(await dom.getXmlDesc()).toContain("<target dev='vdb' bus='virtio'/>");
    // Only the running guest changed.
    expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).not.toContain("dev='vdb'");
    await expectVirError(
      dom.attachDevice(diskXml, AffectFlags.LIVE),
      ErrorCode.XML_ERROR,
      `target 'vdb' duplicated for disk sources '${diskFile}' and '${diskFile}'`,
    );
    const stats = await dom.blockStats('vdb');
    expect(stats.rdReq).toBeGreaterThanOrEqual(0n);

    await dom.detachDevice(diskXml, AffectFlags.LIVE);
    await runOnConsole(dom, 'echo gone-$(ls /sys/block | grep -c ^vd)-x', 'gone-0-x', { waitMs: 2_000, retries: 15 });
    expect(await dom.getXmlDesc()).not.toContain("dev='vdb'");
    await expectVirError(dom.detachDevice(diskXml, AffectFlags.LIVE), ErrorCode.DEVICE_MISSING, 'no target device vdb');
  }, 120_000);

  it('attaches and detaches a NIC', async () => {
    await dom.attachDevice(nicXml, AffectFlags.LIVE);
    await runOnConsole(dom, 'echo nic-$(cat /sys/class/net/*/address | tr "\\n" ,)', '52:54:00:aa:00:07', {
      waitMs: 2_000,
      retries: 15,
    });
    await dom.detachDevice(nicXml, AffectFlags.LIVE);
    await runOnConsole(dom, 'echo nics-$(cat /sys/class/net/*/address | grep -c 52:54:00:aa)-x', 'nics-0-x', {
      waitMs: 2_000,
      retries: 15,
    });
    await expectVirError(
      dom.detachDevice(nicXml, AffectFlags.LIVE),
      ErrorCode.DEVICE_MISSING,
      "no device found at address '(<null>)' matching MAC address '52:54:00:aa:00:07' and alias '(<null>)'",
    );
  }, 120_000);

  it('--config changes only the stored definition', async () => {
    await dom.attachDevice(diskXml, AffectFlags.CONFIG);
    expect(readFileSync(join(root, 'etc', 'qemu', 'hotplug.xml'), 'utf8')).toContain(diskFile);
    expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).toContain("dev='vdb'");
    expect(await dom.getXmlDesc()).not.toContain("dev='vdb'");
    await dom.detachDevice(diskXml, AffectFlags.CONFIG);
    expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).not.toContain("dev='vdb'");
  });

  it('prints virsh messages from tsvirsh', async () => {
    const file = join(root, 'disk.xml');
    writeFileSync(file, diskXml);
    await conn.close();
    try {
      const uri = `qemu:///embed?root=${root}`;
      const ok = await runTsvirsh(['-c', uri, 'attach-device', 'hotplug', file, '--config']);
      expect(ok.stdout).toBe('Device attached successfully\n\n');
      const bad = await runTsvirsh(['-c', uri, 'attach-device', 'hotplug', file, '--config']);
      expect(bad.stderr).toBe(
        `error: Failed to attach device from ${file}\nerror: Requested operation is not valid: target vdb already exists\n`,
      );
      const gone = await runTsvirsh(['-c', uri, 'detach-device', 'hotplug', file, '--config']);
      expect(gone.stdout).toBe('Device detached successfully\n\n');
      const notThere = await runTsvirsh(['-c', uri, 'detach-device', 'hotplug', file, '--config']);
      expect(notThere.stderr).toBe(
        `error: Failed to detach device from ${file}\nerror: device not found: no target device vdb\n`,
      );
    } finally {
      conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
      dom = await conn.lookupDomainByName('hotplug');
    }
  }, 60_000);
});
