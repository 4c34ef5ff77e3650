/**
 * <interface type='network'> end to end: qemu:///embed and the shared network driver, both
 * inside a network namespace the test creates (the "host"). The network (NAT, DHCP, DNS) starts
 * on its bridge, the guest's NIC gets a tap on it from the network driver, QEMU opens that tap,
 * and the one real guest booted here
 *  - gets a DHCP lease from the network's dnsmasq (udhcpc's script points resolv.conf at it),
 *  - resolves a <dns><host> name and its own DHCP hostname through that dnsmasq,
 *  - reaches an "outside" namespace (joined to the host by a veth, with no route back to the
 *    guest's subnet) through NAT: the outside sees the host's upstream address, never the guest's.
 * Destroying the guest gives the port back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, type Domain, type Network } from '@tsvirt/core';
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
  <domain name='lab.test' localOnly='yes'/>
  <dns>
    <host ip='192.168.188.5'><hostname>printer</hostname></host>
  </dns>
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

/** The host's upstream link to the outside namespace: host end, outside end. */
const UPLINK_HOST = '203.0.113.1';
const OUTSIDE = '203.0.113.2';
const NAT_PORT = '7777';

/** Packets the outside namespace's input hook counted from one source address to NAT_PORT. */
function outsideCount(outside: string, comment: string): number {
  const listing = inNs(outside, ['nft', 'list', 'chain', 'ip', 'seen', 'input']);
  const line = listing.split('\n').find((l) => l.includes(`comment "${comment}"`)) ?? '';
  return Number(/packets (\d+)/.exec(line)?.[1] ?? Number.NaN);
}

describe.skipIf(skip !== undefined)('a real guest on a tsvirt NAT network', () => {
  let ns: string;
  let outside: string;
  let root: string;
  let conn: Connection;
  let net: Network;
  let dom: Domain;
  let tap = '';
  let log: ConsoleLog;
  let console_: Awaited<ReturnType<Domain['openConsole']>>;
  let listener: ChildProcess | undefined;

  /** Run a line on the guest's shell; answers what it printed up to its exit status marker. */
  async function guestRun(line: string, tag: string, timeoutMs = 60_000): Promise<string> {
    const from = log.text.length;
    await console_.write(Buffer.from(`${line}; echo ${tag}-$?\n`));
    const end = await log.waitFor(`${tag}-0`, from, timeoutMs);
    return log.text.slice(from, end);
  }

  beforeAll(async () => {
    ns = newNamespace('qnet');
    outside = newNamespace('qout');
    // host <-> outside: the outside end has no route to the guest's subnet, so only NAT can answer.
    inNs(ns, ['ip', 'link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'up1']);
    inNs(ns, ['ip', 'link', 'set', 'up1', 'netns', outside]);
    inNs(ns, ['ip', 'addr', 'add', `${UPLINK_HOST}/24`, 'dev', 'up0']);
    inNs(ns, ['ip', 'link', 'set', 'up0', 'up']);
    inNs(outside, ['ip', 'addr', 'add', `${OUTSIDE}/24`, 'dev', 'up1']);
    inNs(outside, ['ip', 'link', 'set', 'up1', 'up']);
    // Counters of what reaches the outside, by source address.
    inNs(outside, ['nft', 'add', 'table', 'ip', 'seen']);
    inNs(outside, ['nft', 'add', 'chain', 'ip', 'seen', 'input', '{ type filter hook input priority 0; }']);
    for (const [src, comment] of [
      [UPLINK_HOST, 'from-host'],
      ['192.168.188.0/24', 'from-guest-subnet'],
    ] as const) {
      inNs(outside, [
        'nft',
        'add',
        'rule',
        'ip',
        'seen',
        'input',
        'ip',
        'saddr',
        src,
        'tcp',
        'dport',
        NAT_PORT,
        'counter',
        'comment',
        `"${comment}"`,
      ]);
    }

    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-net-'));
    // dnsmasq runs as nobody and re-reads its files from there.
    chmodSync(root, 0o755);
    conn = await connect(`qemu:///embed?root=${root}`, {
      drivers: [qemuDriver, networkDriver],
      config: { netns: ns },
    });
  });
  afterAll(async () => {
    if (listener?.pid !== undefined && listener.exitCode === null) listener.kill();
    await console_?.close().catch(() => undefined);
    await destroyAll(conn);
    for (const n of await conn.listAllNetworks().catch(() => [])) await n.destroy().catch(() => undefined);
    await conn.close();
    deleteNamespace(ns);
    deleteNamespace(outside);
    rmSync(root, { recursive: true, force: true });
  });

  it('plugs the NIC into the bridge and the guest gets a lease, its DNS server being the gateway', async () => {
    net = await conn.createNetworkXml(NETWORK);
    dom = await conn.createDomainXml(guestXml(guest as TestGuest, 'netguest', NIC));
    const live = await dom.getXmlDesc();
    tap = /<target dev='([^']+)'/.exec(live)?.[1] ?? '';
    expect(tap).toMatch(/^vnet\d+$/);
    expect(inNs(ns, ['ip', '-o', 'link', 'show', 'master', 'tsvbr7'])).toContain(tap);

    console_ = await dom.openConsole();
    log = new ConsoleLog(console_.output);
    await log.waitFor(GUEST_READY_LINE, 0, 120_000);
    // udhcpc's default script (the test guest's) configures the lease, route and resolv.conf.
    await guestRun('ip link set eth0 up; udhcpc -i eth0 -n -q -t 10 -x hostname:netguest', 'DHCP', 120_000);
    const leases = await net.getDHCPLeases();
    expect(leases.map((l) => [l.mac, l.hostname, l.ipAddress.startsWith('192.168.188.')])).toEqual([
      [MAC, 'netguest', true],
    ]);
    const resolv = await guestRun('cat /etc/resolv.conf', 'RESOLV');
    expect(resolv).toContain('nameserver 192.168.188.1');
    const route = await guestRun('ip route show default', 'ROUTE');
    expect(route).toContain('default via 192.168.188.1 dev eth0');
  }, 240_000);

  it('resolves a name the network defines and its own hostname through the network dnsmasq', async () => {
    const printer = await guestRun('nslookup printer.lab.test', 'NS1');
    expect(printer).toMatch(/Address:?\s+192\.168\.188\.1(#53|:53)?\s/);
    expect(printer).toMatch(/Name:\s+printer\.lab\.test\s+Address:?\s+192\.168\.188\.5\b/);
    const self = await guestRun('nslookup netguest.lab.test', 'NS2');
    const lease = (await net.getDHCPLeases())[0]!;
    expect(self).toMatch(
      new RegExp(`Name:\\s+netguest\\.lab\\.test\\s+Address:?\\s+${lease.ipAddress.replace(/\./g, '\\.')}\\b`),
    );
  }, 120_000);

  it('reaches an outside address through NAT, seen there with the host upstream address', async () => {
    await guestRun(`ping -c 1 -W 5 ${OUTSIDE}`, 'PING');

    let received = '';
    listener = spawn('ip', ['netns', 'exec', outside, 'busybox', 'nc', '-l', '-p', NAT_PORT], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    listener.stdout?.on('data', (d: Buffer) => {
      received += d.toString();
    });
    // Wait until the outside listens before the guest connects.
    for (let i = 0; i < 50 && !inNs(outside, ['ss', '-ltn']).includes(`:${NAT_PORT}`); i++)
      await new Promise((r) => setTimeout(r, 100));
    await guestRun(`echo NAT-PAYLOAD | nc -w 3 ${OUTSIDE} ${NAT_PORT}`, 'NC');
    for (let i = 0; i < 50 && !received.includes('NAT-PAYLOAD'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(received).toContain('NAT-PAYLOAD');
    expect(outsideCount(outside, 'from-host')).toBeGreaterThan(0);
    expect(outsideCount(outside, 'from-guest-subnet')).toBe(0);
    // The translation is the network's own masquerade rule.
    expect(inNs(ns, ['nft', 'list', 'ruleset'])).toMatch(/masquerade/);
  }, 120_000);

  it('gives the port back when the guest is destroyed', async () => {
    await console_.close();
    await dom.destroy();
    expect(inNs(ns, ['ip', '-o', 'link', 'show'])).not.toContain(`${tap}:`);
  }, 60_000);
});
