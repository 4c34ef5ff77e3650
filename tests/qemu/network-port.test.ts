/**
 * <interface type='network'> end to end: qemu:///embed and the shared network driver, both
 * inside a network namespace the test creates. The network (NAT, DHCP) starts on its bridge,
 * the guest's NIC gets a tap on it from the network driver, QEMU opens that tap, and the real
 * guest gets a DHCP lease from the network's dnsmasq. Destroying the guest gives the port back.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect } from '@tsvirt/core';
import { driver as qemuDriver } from '@tsvirt/driver-qemu';
import { driver as networkDriver } from '@tsvirt/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, inNs, newNamespace, SKIP_REASON } from '../../packages/network/test/netns.js';
import { ConsoleLog, destroyAll, GUEST_READY_LINE, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = SKIP_REASON ?? (typeof guest === 'string' ? guest : undefined);

const NETWORK = `<network>
  <name>lab</name>
  <forward mode='nat'/>
  <bridge name='tsvbr7'/>
  <ip address='192.168.188.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.188.100' end='192.168.188.150'/></dhcp>
  </ip>
</network>`;

const MAC = '52:54:00:7a:11:22';
const NIC = `
    <interface type='network'>
      <mac address='${MAC}'/>
      <source network='lab'/>
      <model type='virtio'/>
    </interface>`;

describe.skipIf(skip !== undefined)('a real guest on a tsvirt network', () => {
  let ns: string;
  let root: string;
  let conn: Connection;
  beforeAll(async () => {
    ns = newNamespace('qnet');
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-net-'));
    // dnsmasq runs as nobody and re-reads its files from there.
    chmodSync(root, 0o755);
    conn = await connect(`qemu:///embed?root=${root}`, {
      drivers: [qemuDriver, networkDriver],
      config: { netns: ns },
    });
  });
  afterAll(async () => {
    await destroyAll(conn);
    for (const net of await conn.listAllNetworks().catch(() => [])) await net.destroy().catch(() => undefined);
    await conn.close();
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('plugs the NIC into the bridge and the guest gets a lease', async () => {
    const net = await conn.createNetworkXml(NETWORK);
    const dom = await conn.createDomainXml(guestXml(guest as TestGuest, 'netguest', NIC));
    const live = await dom.getXmlDesc();
    const tap = /<target dev='([^']+)'/.exec(live)?.[1] ?? '';
    expect(tap).toMatch(/^vnet\d+$/);
    expect(inNs(ns, ['ip', '-o', 'link', 'show', 'master', 'tsvbr7'])).toContain(tap);

    const console_ = await dom.openConsole();
    const log = new ConsoleLog(console_.output);
    const ready = await log.waitFor(GUEST_READY_LINE, 0, 120_000);
    await console_.write(Buffer.from('ip link set eth0 up; udhcpc -i eth0 -n -q -t 10 -s /bin/true; echo DHCP-$?\n'));
    await log.waitFor('DHCP-0', ready, 120_000);
    await console_.close();
    const leases = await net.getDHCPLeases();
    expect(leases.map((l) => [l.mac, l.ipAddress.startsWith('192.168.188.')])).toEqual([[MAC, true]]);

    await dom.destroy();
    expect(inNs(ns, ['ip', '-o', 'link', 'show'])).not.toContain(`${tap}:`);
  }, 240_000);
});
