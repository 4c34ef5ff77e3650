/**
 * Autostart: a guest marked autostart is started when the driver's state is loaded (the first
 * connection to a root, as libvirtd does at its start), and only then.
 */
import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, DomainState, RunningReason } from '@tsvirt/core';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, describe, expect, it } from 'vitest';
import { destroyAll, QEMU_BINARY } from './guest.js';

const XML = `<domain type='qemu'>
  <name>auto</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices><emulator>${QEMU_BINARY}</emulator></devices>
</domain>`;

describe.skipIf(!existsSync(QEMU_BINARY))('qemu driver autostart', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-auto-'));
  const open = () => connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts autostart guests when the driver loads, and keeps the link as libvirt lays it out', async () => {
    const first = await open();
    const dom = await first.defineDomainXml(XML);
    await dom.setAutostart(true);
    expect(lstatSync(join(root, 'etc', 'qemu', 'autostart', 'auto.xml')).isSymbolicLink()).toBe(true);
    expect(dom.getID()).toBe(-1);
    await first.close();

    const second = await open();
    try {
      const again = await second.lookupDomainByName('auto');
      expect(await again.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.BOOTED });
      expect(await again.getAutostart()).toBe(true);
      await again.destroy();
      await again.setAutostart(false);
      expect(existsSync(join(root, 'etc', 'qemu', 'autostart', 'auto.xml'))).toBe(false);
      await again.undefine();
    } finally {
      await destroyAll(second);
      await second.close();
    }
  }, 120_000);
});
