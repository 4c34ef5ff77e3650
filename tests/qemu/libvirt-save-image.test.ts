/**
 * The save image format against libvirt itself: a guest that a real libvirtd 9.0
 * (qemu:///session, as user nobody) saved with `virsh save` is restored by tsvirt's QEMU
 * driver, and its shell answers afterwards.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, DomainState, PausedReason } from '@tsvirt/core';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { ConsoleLog, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = typeof guest === 'string' ? guest : libvirtdUnavailable();
if (skip) console.warn(`skipping the libvirt save-image test: ${skip}`);

const NOBODY = 65534;

describe.skipIf(skip !== undefined)('save images libvirt wrote', () => {
  const g = guest as TestGuest;
  let daemon: Libvirtd;
  let dir: string;
  let root: string;
  let conn: Connection;

  beforeAll(async () => {
    daemon = await startLibvirtd();
    dir = mkdtempSync(join(tmpdir(), 'tsvirt-lvsave-'));
    chownSync(dir, NOBODY, NOBODY);
    root = mkdtempSync(join(tmpdir(), 'tsvirt-lvsave-root-'));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
  }, 60_000);
  afterAll(async () => {
    for (const dom of (await conn?.listAllDomains()) ?? []) {
      if (dom.getID() >= 0) await dom.destroy().catch(() => undefined);
    }
    await conn?.close();
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('restores a guest libvirt saved', async () => {
    const uri = daemon.tcpUri('/session').replace(/^test\+/, 'qemu+');
    const xmlFile = join(dir, 'guest.xml');
    writeFileSync(xmlFile, guestXml(g, 'fromlibvirt'));
    chownSync(xmlFile, NOBODY, NOBODY);
    const virsh = (...args: string[]) => spawnSync('virsh', ['-c', uri, ...args], { encoding: 'utf8' });
    const created = virsh('create', xmlFile);
    expect(created.status, created.stderr).toBe(0);
    // Let the guest reach its shell before libvirt saves it.
    await new Promise((r) => setTimeout(r, 10_000));
    const image = join(dir, 'guest.save');
    const saved = virsh('save', 'fromlibvirt', image);
    expect(saved.status, saved.stderr).toBe(0);

    const dom = await conn.restoreDomain(image, 4); // VIR_DOMAIN_SAVE_PAUSED
    expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: PausedReason.MIGRATION });
    await dom.resume();
    const c = await dom.openConsole();
    const log = new ConsoleLog(c.output);
    try {
      for (let i = 0; ; i++) {
        const from = log.text.length;
        await c.write(Buffer.from('echo alive-$((20+1))\n'));
        try {
          await log.waitFor('alive-21', from, 3_000);
          break;
        } catch (err) {
          if (i >= 10) throw err;
        }
      }
    } finally {
      await c.close();
    }
  }, 120_000);
});
