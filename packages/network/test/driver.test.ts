/**
 * The driver against the real thing, inside network namespaces the test creates: bridges with
 * iproute2, rules with nft and iptables, dnsmasq, and a client namespace that takes a DHCP lease
 * with busybox udhcpc over a veth on the bridge. Nothing outside the namespaces and temp dirs
 * is touched; every namespace is deleted afterwards.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ErrorCode, parseConnectUri, parseNetworkXml } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetworkConnection } from '../src/driver/connection.js';
import { driver } from '../src/driver/descriptor.js';
import {
  addresses,
  deleteNamespace,
  firewallSnapshot,
  inNs,
  links,
  newNamespace,
  processAlive,
  SKIP_REASON,
} from './netns.js';

const NAT_XML = (name: string, bridge: string, subnet = '192.168.150') => `
<network>
  <name>${name}</name>
  <forward mode='nat'/>
  <bridge name='${bridge}' stp='on' delay='0'/>
  <mac address='52:54:00:12:34:56'/>
  <mtu size='1400'/>
  <domain name='example.test'/>
  <ip address='${subnet}.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='${subnet}.100' end='${subnet}.120'/>
      <host mac='02:00:00:aa:bb:cc' name='fixed' ip='${subnet}.50'/>
    </dhcp>
  </ip>
</network>`;

async function open(root: string, ns: string, firewallBackend = 'nftables'): Promise<NetworkConnection> {
  const conn = await driver.open(parseConnectUri(`network:///embed?root=${root}`), {
    config: { netns: ns, firewallBackend },
  });
  if (typeof conn === 'symbol') throw new Error('driver declined network:///embed');
  return conn as NetworkConnection;
}

describe.skipIf(SKIP_REASON !== undefined)('network driver in a network namespace', () => {
  const namespaces: string[] = [];
  let ns: string;
  let root: string;
  let conn: NetworkConnection;

  beforeEach(async () => {
    ns = newNamespace('host');
    namespaces.push(ns);
    root = mkdtempSync(join(tmpdir(), 'tsvirt-network-'));
    conn = await open(root, ns);
  });
  afterEach(async () => {
    // A failed test must not leave a dnsmasq running: stop whatever is still active.
    for (const ref of await conn.network.listNetworks(0)) {
      if (await conn.network.isNetworkActive(ref)) await conn.network.destroyNetwork(ref).catch(() => {});
    }
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });
  afterAll(() => {
    for (const n of namespaces) deleteNamespace(n);
  });

  it('starts a NAT network, hands a DHCP lease to a client namespace, and destroy leaves nothing', async () => {
    const linksBefore = links(ns);
    const firewallBefore = firewallSnapshot(ns);
    const ref = await conn.network.createNetwork(parseNetworkXml(NAT_XML('tnat', 'tsvbr0')));

    expect(links(ns)).toContain('tsvbr0');
    expect(addresses(ns, 'tsvbr0')).toContain('192.168.150.1/24');
    const link = JSON.parse(inNs(ns, ['ip', '-j', '-d', 'link', 'show', 'dev', 'tsvbr0']))[0];
    expect(link.address).toBe('52:54:00:12:34:56');
    expect(link.mtu).toBe(1400);
    expect(link.linkinfo.info_data.stp_state).toBe(1);
    expect(inNs(ns, ['sysctl', '-n', 'net.ipv4.ip_forward']).trim()).toBe('1');
    expect(inNs(ns, ['sysctl', '-n', 'net.ipv6.conf.tsvbr0.disable_ipv6']).trim()).toBe('1');
    const rules = inNs(ns, ['nft', 'list', 'table', 'ip', 'libvirt_network']);
    expect(rules).toMatch(/ip saddr 192\.168\.150\.0\/24 ip daddr != 192\.168\.150\.0\/24 counter .*masquerade/);
    expect(rules).toMatch(/iif "tsvbr0" counter .*reject/);

    const state = JSON.parse((await import('node:fs')).readFileSync(join(root, 'run/network/tnat.json'), 'utf8')) as {
      dnsmasqPid: number;
    };
    expect(processAlive(state.dnsmasqPid)).toBe(true);
    expect(readdirSync(join(root, 'lib/dnsmasq')).sort()).toEqual(
      ['tnat.addnhosts', 'tnat.conf', 'tnat.hostsfile', 'tnat.leases'].filter(
        (f) => f !== 'tnat.leases' || existsSync(join(root, 'lib/dnsmasq', f)),
      ),
    );

    // A "guest": another namespace on a veth whose host end is a bridge port.
    const guest = newNamespace('guest');
    namespaces.push(guest);
    inNs(ns, ['ip', 'link', 'add', 'tsvport0', 'type', 'veth', 'peer', 'name', 'tsvguest0']);
    inNs(ns, ['ip', 'link', 'set', 'tsvguest0', 'netns', guest]);
    inNs(ns, ['ip', 'link', 'set', 'tsvport0', 'master', 'tsvbr0', 'up']);
    inNs(guest, ['ip', 'link', 'set', 'tsvguest0', 'address', '02:00:00:00:00:42', 'up']);
    inNs(guest, ['busybox', 'udhcpc', '-i', 'tsvguest0', '-n', '-q', '-t', '20', '-T', '1', '-s', '/bin/true']);

    const leases = await conn.network.getDhcpLeases(ref, undefined, 0);
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatchObject({ iface: 'tsvbr0', mac: '02:00:00:00:00:42', type: 0, prefix: 24 });
    expect(leases[0]!.ipAddress).toMatch(/^192\.168\.150\.(1[01]\d|120)$/);
    expect(await conn.network.getDhcpLeases(ref, '02:00:00:00:00:43', 0)).toEqual([]);

    inNs(ns, ['ip', 'link', 'del', 'tsvport0']);
    await conn.network.destroyNetwork(ref);
    expect(links(ns)).toEqual(linksBefore);
    expect(processAlive(state.dnsmasqPid)).toBe(false);
    // The private chains stay (as libvirt's do); every rule the network added is gone.
    expect(firewallSnapshot(ns).replace(/\n\s*\n/g, '\n')).not.toContain('tsvbr0');
    expect(firewallBefore).not.toContain('tsvbr0');
    expect(readdirSync(join(root, 'run/network'))).toEqual([]);
    expect(existsSync(join(root, 'lib/dnsmasq/tnat.conf'))).toBe(false);
    await expectVirError(
      conn.network.lookupNetwork({ name: 'tnat' }),
      ErrorCode.NO_NETWORK,
      /no network with matching name 'tnat'/,
    );
  });

  it('defines, starts and destroys with the iptables backend, and the definition survives a reopen', async () => {
    await conn.close();
    conn = await open(root, ns, 'iptables');
    const ref = await conn.network.defineNetwork(parseNetworkXml(NAT_XML('tipt', 'tsvbr1', '192.168.151')));
    expect(existsSync(join(root, 'etc/networks/tipt.xml'))).toBe(true);
    await conn.network.startNetwork(ref);
    const nat = inNs(ns, ['iptables', '-w', '-t', 'nat', '-S', 'LIBVIRT_PRT']);
    expect(nat).toContain('-A LIBVIRT_PRT -s 192.168.151.0/24 ! -d 192.168.151.0/24 -j MASQUERADE');
    await expectVirError(conn.network.startNetwork(ref), ErrorCode.OPERATION_INVALID, /network is already active/);
    await conn.network.destroyNetwork(ref);
    expect(inNs(ns, ['iptables', '-w', '-t', 'nat', '-S', 'LIBVIRT_PRT'])).not.toContain('192.168.151');
    expect(inNs(ns, ['iptables', '-w', '-t', 'filter', '-S'])).not.toContain('tsvbr1');
    expect(links(ns)).not.toContain('tsvbr1');
    await expectVirError(conn.network.destroyNetwork(ref), ErrorCode.OPERATION_INVALID, /network 'tipt' is not active/);

    await conn.close();
    conn = await open(root, ns, 'iptables');
    const again = await conn.network.lookupNetwork({ name: 'tipt' });
    expect(await conn.network.isNetworkPersistent(again)).toBe(true);
    expect((await conn.network.getNetworkXml(again, 0)).bridge?.name).toBe('tsvbr1');
    await conn.network.undefineNetwork(again);
    expect(readdirSync(join(root, 'etc/networks'))).toEqual([]);
  });

  it('refuses an overlapping subnet and a bridge name in use, changing nothing', async () => {
    const ref = await conn.network.createNetwork(parseNetworkXml(NAT_XML('first', 'tsvbr2', '192.168.152')));
    const linksBefore = links(ns);
    const firewallBefore = firewallSnapshot(ns);

    await expectVirError(
      conn.network.createNetwork(parseNetworkXml(NAT_XML('second', 'tsvbr3', '192.168.152'))),
      ErrorCode.INTERNAL_ERROR,
      /Network is already in use by interface tsvbr2/,
    );
    await expectVirError(
      conn.network.createNetwork(parseNetworkXml(NAT_XML('third', 'tsvbr2', '192.168.153'))),
      ErrorCode.INTERNAL_ERROR,
      /bridge name 'tsvbr2' already in use/,
    );
    inNs(ns, ['ip', 'link', 'add', 'tsvbusy', 'type', 'bridge']);
    await expectVirError(
      conn.network.createNetwork(parseNetworkXml(NAT_XML('fourth', 'tsvbusy', '192.168.154'))),
      ErrorCode.INTERNAL_ERROR,
      /Unable to create bridge tsvbusy: File exists/,
    );
    inNs(ns, ['ip', 'link', 'del', 'tsvbusy']);

    expect(links(ns)).toEqual(linksBefore);
    expect(firewallSnapshot(ns)).toBe(firewallBefore);
    expect((await conn.network.listNetworks(0)).map((r) => r.name)).toEqual(['first']);
    expect(readdirSync(join(root, 'run/network')).sort()).toEqual([
      'first.json',
      'first.macs',
      'first.pid',
      'first.xml',
    ]);
    await conn.network.destroyNetwork(ref);
  });

  it('routes IPv4 and IPv6 with a static route (forward mode route)', async () => {
    const xml = `
<network>
  <name>trouted</name>
  <forward mode='route'/>
  <bridge name='tsvbr6' stp='off'/>
  <ip address='192.168.160.1' prefix='24'/>
  <ip family='ipv6' address='fd00:160::1' prefix='64'>
    <dhcp><range start='fd00:160::100' end='fd00:160::1ff'/></dhcp>
  </ip>
  <route address='10.77.0.0' prefix='16' gateway='192.168.160.2'/>
</network>`;
    const ref = await conn.network.createNetwork(parseNetworkXml(xml));
    expect(addresses(ns, 'tsvbr6')).toEqual(expect.arrayContaining(['192.168.160.1/24', 'fd00:160::1/64']));
    expect(inNs(ns, ['ip', 'route', 'show', '10.77.0.0/16'])).toContain('via 192.168.160.2 dev tsvbr6');
    expect(inNs(ns, ['sysctl', '-n', 'net.ipv6.conf.all.forwarding']).trim()).toBe('1');
    expect(inNs(ns, ['sysctl', '-n', 'net.ipv6.conf.tsvbr6.disable_ipv6']).trim()).toBe('0');
    expect(inNs(ns, ['nft', 'list', 'table', 'ip6', 'libvirt_network'])).toMatch(
      /ip6 daddr fd00:160::\/64 oif "tsvbr6" counter .*accept/,
    );
    const conf = readFileSync(join(root, 'lib/dnsmasq/trouted.conf'), 'utf8');
    expect(conf).toContain('dhcp-range=fd00:160::100,fd00:160::1ff,64\n');
    expect(conf).toContain('enable-ra\n');
    await conn.network.destroyNetwork(ref);
    expect(links(ns)).not.toContain('tsvbr6');
    expect(inNs(ns, ['ip', 'route', 'show', '10.77.0.0/16'])).toBe('');
    expect(firewallSnapshot(ns)).not.toContain('tsvbr6');
  });

  it('refuses a DHCP range outside its subnet through the public API, changing nothing', async () => {
    const api = await connect(`network:///embed?root=${root}`, { drivers: [driver], config: { netns: ns } });
    try {
      const linksBefore = links(ns);
      const firewallBefore = firewallSnapshot(ns);
      const bad = NAT_XML('outside', 'tsvbr7', '192.168.170').replace(
        "<range start='192.168.170.100' end='192.168.170.120'/>",
        "<range start='192.168.170.100' end='192.168.171.20'/>",
      );
      await expectVirError(
        api.createNetworkXml(bad),
        ErrorCode.INTERNAL_ERROR,
        /range 192\.168\.170\.100 - 192\.168\.171\.20 is not entirely within network 192\.168\.170\.1\/24/,
      );
      expect(links(ns)).toEqual(linksBefore);
      expect(firewallSnapshot(ns)).toBe(firewallBefore);
      expect(await api.listAllNetworks()).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('picks up running networks on reopen: restarts a dead dnsmasq, drops a network whose bridge vanished', async () => {
    const a = await conn.network.createNetwork(parseNetworkXml(NAT_XML('keep', 'tsvbr8', '192.168.180')));
    await conn.network.createNetwork(parseNetworkXml(NAT_XML('gone', 'tsvbr9', '192.168.181')));
    const runState = () =>
      JSON.parse(readFileSync(join(root, 'run/network/keep.json'), 'utf8')) as { dnsmasqPid: number };
    const oldPid = runState().dnsmasqPid;
    const gonePid = (JSON.parse(readFileSync(join(root, 'run/network/gone.json'), 'utf8')) as { dnsmasqPid: number })
      .dnsmasqPid;
    process.kill(oldPid, 'SIGKILL');
    inNs(ns, ['ip', 'link', 'del', 'tsvbr9']);
    await conn.close();

    conn = await open(root, ns);
    expect(await conn.network.isNetworkActive(a)).toBe(true);
    const newPid = runState().dnsmasqPid;
    expect(newPid).not.toBe(oldPid);
    expect(processAlive(newPid)).toBe(true);
    await expectVirError(conn.network.lookupNetwork({ name: 'gone' }), ErrorCode.NO_NETWORK, /'gone'/);
    expect(existsSync(join(root, 'run/network/gone.json'))).toBe(false);
    expect(processAlive(gonePid)).toBe(false);
    expect(firewallSnapshot(ns)).not.toContain('tsvbr9');
    await conn.network.destroyNetwork(a);
    expect(processAlive(newPid)).toBe(false);
  });

  it('rolls back every step when dnsmasq refuses to start', async () => {
    // A first network creates libvirt's private chains, which stay (as libvirt's do).
    await conn.network.destroyNetwork(await conn.network.createNetwork(parseNetworkXml(NAT_XML('warmup', 'tsvbr5'))));
    const linksBefore = links(ns);
    const firewallBefore = firewallSnapshot(ns);
    const xml = NAT_XML('broken', 'tsvbr4', '192.168.155')
      .replace('<network>', "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>")
      .replace('</network>', "<dnsmasq:options><dnsmasq:option value='no-such-option=1'/></dnsmasq:options></network>");
    await expect(conn.network.createNetwork(parseNetworkXml(xml))).rejects.toThrow(/dnsmasq/);
    expect(links(ns)).toEqual(linksBefore);
    expect(firewallSnapshot(ns)).toBe(firewallBefore);
    expect(await conn.network.listNetworks(0)).toEqual([]);
  });
});

describe.skipIf(SKIP_REASON === undefined)('network driver in a network namespace', () => {
  it.skip(`skipped: ${SKIP_REASON}`, () => {});
});
