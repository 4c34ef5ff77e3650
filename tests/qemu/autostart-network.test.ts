/**
 * Autostart of a guest on a virtual network: core pairs the shared network driver only after
 * the QEMU driver has loaded its state, so such a guest waits for the pairing instead of
 * failing for want of a network driver. Both drivers run inside a namespace the test creates.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@tsvirt/core';
import { driver as qemuDriver } from '@tsvirt/driver-qemu';
import { driver as networkDriver } from '@tsvirt/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, inNs, newNamespace, SKIP_REASON } from '../../packages/network/test/netns.js';
import { destroyAll, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = SKIP_REASON ?? (typeof guest === 'string' ? guest : undefined);

const NETWORK = `<network>
  <name>autonet</name>
  <bridge name='tsvbr8'/>
  <ip address='192.168.189.1' netmask='255.255.255.0'/>
</network>`;

const NIC = `
    <interface type='network'>
      <mac address='52:54:00:7a:11:33'/>
      <source network='autonet'/>
      <model type='virtio'/>
    </interface>`;

describe.skipIf(skip !== undefined)('autostart of a guest on a tsvirt network', () => {
  let ns: string;
  let root: string;
  const open = () =>
    connect(`qemu:///embed?root=${root}`, { drivers: [qemuDriver, networkDriver], config: { netns: ns } });
  beforeAll(() => {
    ns = newNamespace('qauto');
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-autonet-'));
    chmodSync(root, 0o755);
  });
  afterAll(async () => {
    // Whatever failed above, no definition may autostart when the clean-up opens the root.
    rmSync(join(root, 'etc', 'qemu', 'autostart'), { recursive: true, force: true });
    const conn = await open();
    await destroyAll(conn);
    for (const net of await conn.listAllNetworks().catch(() => [])) await net.destroy().catch(() => undefined);
    await conn.close();
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('starts once the network driver is paired, with its NIC on the bridge', async () => {
    const first = await open();
    const net = await first.defineNetworkXml(NETWORK);
    await net.create();
    await net.setAutostart(true);
    const dom = await first.defineDomainXml(guestXml(guest as TestGuest, 'autonetguest', NIC));
    await dom.setAutostart(true);
    expect(await dom.isActive()).toBe(false);
    await first.close();

    // A new driver state loads the definitions and autostarts the guest.
    const second = await open();
    try {
      const again = await second.lookupDomainByName('autonetguest');
      // The start runs in the background after open: wait for the plugged tap in the live XML.
      let tap = '';
      for (let tries = 0; tries < 200 && !tap; tries++) {
        tap = /<target dev='(vnet\d+)'/.exec(await again.getXmlDesc())?.[1] ?? '';
        if (!tap) await new Promise((r) => setTimeout(r, 100));
      }
      expect(await again.isActive()).toBe(true);
      expect(tap).toMatch(/^vnet\d+$/);
      expect(inNs(ns, ['ip', '-o', 'link', 'show', 'master', 'tsvbr8'])).toContain(tap);
      // Not autostarted again by the clean-up's own open.
      await again.setAutostart(false);
      await again.destroy();
    } finally {
      await second.close();
    }
  }, 120_000);
});
