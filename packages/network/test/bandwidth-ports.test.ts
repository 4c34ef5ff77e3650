/**
 * Network <bandwidth> and guest ports against the real tc and iproute2, inside a network
 * namespace: the bridge's htb tree (classes 1:1 and 1:2), per-port floor classes from the class-ID
 * bitmap, the floor-sum check, class 1:2 rebalanced, taps and macvtaps, and the state file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, formatNetworkXml, parseConnectUri, parseDomainXml, parseNetworkXml } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetworkConnection } from '../src/driver/connection.js';
import { driver } from '../src/driver/descriptor.js';
import { openNetworkPorts, portRequestForInterface } from '../src/index.js';
import { deleteNamespace, inNs, links, newNamespace, SKIP_REASON } from './netns.js';

const QOS_XML = (name: string, bridge: string) => `
<network>
  <name>${name}</name>
  <forward mode='nat'/>
  <bridge name='${bridge}'/>
  <bandwidth>
    <inbound average='1000' peak='2000'/>
    <outbound average='500'/>
  </bandwidth>
  <ip address='192.168.160.1' prefix='24'/>
</network>`;

/** tc prints rates as "2400Kbit", "16Mbit": back to bits per second. */
function bits(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(bit|Kbit|Mbit|Gbit)$/.exec(text);
  if (!m) throw new Error(`unexpected tc rate ${text}`);
  return Number(m[1]) * { bit: 1, Kbit: 1e3, Mbit: 1e6, Gbit: 1e9 }[m[2] as 'bit'];
}

/** tc's kbps is kilobytes per second. */
const kbps = (n: number): number => n * 8000;

interface TcClass {
  id: string;
  parent?: string;
  rate: number;
  ceil: number;
}

function classes(ns: string, dev: string): TcClass[] {
  const out = inNs(ns, ['tc', '-s', 'class', 'show', 'dev', dev]);
  return [...out.matchAll(/^class htb (\S+) (?:root|parent (\S+)).*? rate (\S+) ceil (\S+)/gm)].map((m) => ({
    id: m[1]!,
    ...(m[2] ? { parent: m[2] } : {}),
    rate: bits(m[3]!),
    ceil: bits(m[4]!),
  }));
}

describe.skipIf(SKIP_REASON !== undefined)('bandwidth and ports in a network namespace', () => {
  const namespaces: string[] = [];
  let ns: string;
  let root: string;
  let conn: NetworkConnection;
  let warnings: string[];

  beforeEach(async () => {
    ns = newNamespace('qos');
    namespaces.push(ns);
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qos-'));
    warnings = [];
    const c = await driver.open(parseConnectUri(`network:///embed?root=${root}`), {
      config: { netns: ns, warn: (m: string) => warnings.push(m) },
    });
    conn = c as NetworkConnection;
  });
  afterEach(async () => {
    for (const ref of await conn.network.listNetworks(0)) {
      if (await conn.network.isNetworkActive(ref)) await conn.network.destroyNetwork(ref).catch(() => {});
    }
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });
  afterAll(() => {
    for (const n of namespaces) deleteNamespace(n);
  });

  it('builds classes 1:1 and 1:2 on the bridge, with a fallback and a warning where the kernel lacks a module', async () => {
    await conn.network.createNetwork(parseNetworkXml(QOS_XML('qos', 'tsvqos0')));
    const cls = classes(ns, 'tsvqos0');
    expect(cls).toContainEqual({ id: '1:1', rate: kbps(1000), ceil: kbps(2000) });
    expect(cls).toContainEqual({ id: '1:2', parent: '1:1', rate: kbps(1000), ceil: kbps(2000) });
    const qdiscs = inNs(ns, ['tc', 'qdisc', 'show', 'dev', 'tsvqos0']);
    expect(qdiscs).toMatch(/qdisc htb 1: root .*default 0x2/);
    expect(qdiscs).toMatch(/qdisc ingress ffff:/);
    // The leaf under 1:2 is libvirt's sfq where the kernel has it, else a pfifo, said aloud.
    if (/qdisc sfq 2: parent 1:2/.test(qdiscs)) {
      expect(warnings.join('\n')).not.toMatch(/sfq/);
    } else {
      expect(qdiscs).toMatch(/qdisc pfifo 2: parent 1:2/);
      expect(warnings).toContainEqual(expect.stringMatching(/no sfq qdisc: class 1:2 on tsvqos0 gets a pfifo leaf/));
    }
    const filters = inNs(ns, ['tc', 'filter', 'show', 'dev', 'tsvqos0', 'parent', 'ffff:']);
    if (!/police/.test(filters)) {
      expect(warnings).toContainEqual(
        expect.stringMatching(/no police action: the ingress rate limit 500kbps on tsvqos0/),
      );
    }
    const state = JSON.parse(readFileSync(join(root, 'run/network/qos.json'), 'utf8'));
    expect(state.classIds).toEqual([0, 1, 2]);
    expect(state.floorSum).toBe(0);
  });

  it('plugs ports with floors into classes 3, 4, …, refuses an overcommit, rebalances 1:2, and frees IDs', async () => {
    await conn.network.createNetwork(parseNetworkXml(QOS_XML('qos', 'tsvqos1')));
    const ports = await openNetworkPorts(`network:///embed?root=${root}`, { config: { netns: ns } });
    try {
      const a = await ports.allocatePort('qos', {
        mac: '52:54:00:00:00:0A',
        bandwidth: { inbound: { floor: 300 } },
        owner: 'vm-a',
      });
      expect(a).toMatchObject({ ifname: 'vnet0', type: 'tap', bridge: 'tsvqos1', classId: 3 });
      const tap = JSON.parse(inNs(ns, ['ip', '-j', '-d', 'link', 'show', 'dev', 'vnet0']))[0];
      expect(tap.master).toBe('tsvqos1');
      expect(tap.address).toBe('fe:54:00:00:00:0a');
      expect(tap.linkinfo.info_kind).toBe('tun');

      const b = await ports.allocatePort('qos', { mac: '52:54:00:00:00:0b', bandwidth: { inbound: { floor: 800 } } });
      expect(b.classId).toBe(4);
      let cls = classes(ns, 'tsvqos1');
      expect(cls).toContainEqual({ id: '1:3', parent: '1:1', rate: kbps(300), ceil: kbps(2000) });
      expect(cls).toContainEqual({ id: '1:4', parent: '1:1', rate: kbps(800), ceil: kbps(2000) });
      // Traffic without a floor gets what the floors leave of the peak.
      expect(cls).toContainEqual({ id: '1:2', parent: '1:1', rate: kbps(2000 - 1100), ceil: kbps(2000) });
      const filters = inNs(ns, ['tc', 'filter', 'show', 'dev', 'tsvqos1']);
      expect(filters).toMatch(/fh 800::3 .*flowid 1:3/);
      expect(filters).toMatch(/match 0000000a\/ffffffff at -12/);

      // 1100 + 1000 > peak 2000: refused with libvirt's words, and nothing changes.
      const linksBefore = links(ns);
      await expectVirError(
        ports.allocatePort('qos', { mac: '52:54:00:00:00:0c', bandwidth: { inbound: { floor: 1000 } } }),
        ErrorCode.OPERATION_INVALID,
        /Cannot plug '52:54:00:00:00:0c' interface into 'tsvqos1' because new combined inbound floor=2100 would overcommit peak=2000 on network 'qos'/,
      );
      expect(links(ns)).toEqual(linksBefore);
      expect(classes(ns, 'tsvqos1')).toEqual(cls);
      expect(await ports.getBandwidthState('qos')).toEqual({ classIds: [0, 1, 2, 3, 4], floorSum: 1100 });

      // The state file records the ports, class IDs and floor sum, readable by root only.
      const statePath = join(root, 'run/network/qos.json');
      expect(statSync(statePath).mode & 0o777).toBe(0o600);
      const state = JSON.parse(readFileSync(statePath, 'utf8'));
      expect(state.classIds).toEqual([0, 1, 2, 3, 4]);
      expect(state.floorSum).toBe(1100);
      expect(Object.keys(state.ports).sort()).toEqual(['vnet0', 'vnet1']);
      expect(JSON.parse(readFileSync(join(root, 'run/network/qos.macs'), 'utf8'))).toContainEqual({
        domain: 'vm-a',
        macs: ['52:54:00:00:00:0a'],
      });
      expect(readFileSync(join(root, 'run/network/qos.xml'), 'utf8')).toMatch(/<network connections='2'>/);

      await ports.releasePort('qos', 'vnet0');
      expect(links(ns)).not.toContain('vnet0');
      cls = classes(ns, 'tsvqos1');
      expect(cls.map((c) => c.id)).not.toContain('1:3');
      expect(cls).toContainEqual({ id: '1:2', parent: '1:1', rate: kbps(2000 - 800), ceil: kbps(2000) });
      expect(inNs(ns, ['tc', 'filter', 'show', 'dev', 'tsvqos1'])).not.toMatch(/800::3/);
      // The freed ID is the first free one again.
      const c = await ports.allocatePort('qos', { mac: '52:54:00:00:00:0d', bandwidth: { inbound: { floor: 1000 } } });
      expect(c).toMatchObject({ ifname: 'vnet0', classId: 3 });
      expect(await ports.getBandwidthState('qos')).toEqual({ classIds: [0, 1, 2, 3, 4], floorSum: 1800 });
      // A tc failure half way (a class 1:5 that is not ours is in the way) leaves nothing of the port.
      inNs(ns, ['tc', 'class', 'add', 'dev', 'tsvqos1', 'parent', '1:1', 'classid', '1:5', 'htb', 'rate', '8kbit']);
      const ours = links(ns);
      await expect(
        ports.allocatePort('qos', { mac: '52:54:00:00:00:0f', bandwidth: { inbound: { floor: 100 } } }),
      ).rejects.toThrow(/File exists/);
      expect(links(ns)).toEqual(ours);
      expect(await ports.getBandwidthState('qos')).toEqual({ classIds: [0, 1, 2, 3, 4], floorSum: 1800 });
      expect(classes(ns, 'tsvqos1').map((x) => x.id)).toContain('1:5');
      inNs(ns, ['tc', 'class', 'del', 'dev', 'tsvqos1', 'classid', '1:5']);
      // A port group added live lends its bandwidth to ports that name it (no floor there, as in libvirt).
      const qos = await conn.network.lookupNetwork({ name: 'qos' });
      await conn.network.updateNetwork(
        qos,
        3,
        9,
        -1,
        "<portgroup name='gold'><bandwidth><inbound average='100'/></bandwidth></portgroup>",
        1,
      );
      const g = await ports.allocatePort('qos', { mac: '52:54:00:00:00:10', portgroup: 'gold' });
      expect(g.classId).toBeUndefined();
      expect(classes(ns, g.ifname)).toContainEqual({ id: '1:1', rate: kbps(100), ceil: kbps(100) });
      await ports.releasePort('qos', g.ifname);
      // A domain's <interface type='network'> becomes a port request.
      const dom = parseDomainXml(`<domain type='qemu'><name>vm</name><memory>65536</memory><os><type>hvm</type></os>
        <devices><interface type='network'><mac address='52:54:00:00:00:21'/><source network='qos'/>
        <target dev='vnet7'/><bandwidth><inbound average='100' floor='50'/></bandwidth></interface></devices></domain>`);
      const { network, request } = portRequestForInterface(dom.devices.interfaces[0]!, 'vm');
      expect({ network, request }).toEqual({
        network: 'qos',
        request: { mac: '52:54:00:00:00:21', bandwidth: { inbound: { average: 100, floor: 50 } }, owner: 'vm' },
      });
      const v = await ports.allocatePort(network, request);
      expect(classes(ns, 'tsvqos1')).toContainEqual({
        id: `1:${v.classId}`,
        parent: '1:1',
        rate: kbps(50),
        ceil: kbps(2000),
      });
      await ports.releasePort('qos', v.ifname);
      // A port without a floor needs no class.
      const d = await ports.allocatePort('qos', { mac: '52:54:00:00:00:0e' });
      expect(d.classId).toBeUndefined();
      await expectVirError(ports.releasePort('qos', 'vnet9'), ErrorCode.NO_NETWORK_PORT, /has no port 'vnet9'/);
      // Destroying the network takes its ports' devices with it.
      await conn.network.destroyNetwork(await conn.network.lookupNetwork({ name: 'qos' }));
      expect(links(ns).filter((l) => l.startsWith('vnet'))).toEqual([]);
    } finally {
      await ports.close();
    }
  });

  it("refuses a floor on a network without inbound QoS, and applies a port's own limits on its tap", async () => {
    await conn.network.createNetwork(
      parseNetworkXml(
        `<network><name>plain</name><bridge name='tsvpl0'/><port isolated='yes'/><ip address='192.168.161.1' prefix='24'/></network>`,
      ),
    );
    const ports = await openNetworkPorts(`network:///embed?root=${root}`, { config: { netns: ns } });
    try {
      await expectVirError(
        ports.allocatePort('plain', { mac: '52:54:00:00:01:01', bandwidth: { inbound: { floor: 10 } } }),
        ErrorCode.CONFIG_UNSUPPORTED,
        /Invalid use of 'floor' on interface with MAC address 52:54:00:00:01:01 - network 'plain' has no inbound QoS set/,
      );
      expect(links(ns)).not.toContain('vnet0');
      const p = await ports.allocatePort('plain', {
        mac: '52:54:00:00:01:02',
        bandwidth: { inbound: { average: 100, burst: 64 } },
      });
      expect(p.classId).toBeUndefined();
      // <port isolated='yes'> on the network: the tap is an isolated bridge port, unless the port says no.
      expect(JSON.parse(inNs(ns, ['bridge', '-j', '-d', 'link', 'show', 'dev', p.ifname]))[0].isolated).toBe(true);
      const open = await ports.allocatePort('plain', { mac: '52:54:00:00:01:03', isolated: false });
      expect(JSON.parse(inNs(ns, ['bridge', '-j', '-d', 'link', 'show', 'dev', open.ifname]))[0].isolated).toBe(false);
      await ports.releasePort('plain', open.ifname);
      // Guest inbound is what the host sends into the tap: a plain htb class 1:1 on it.
      expect(classes(ns, p.ifname)).toContainEqual({ id: '1:1', rate: kbps(100), ceil: kbps(100) });
      await ports.releasePort('plain', p.ifname);
      expect(links(ns)).not.toContain(p.ifname);
    } finally {
      await ports.close();
    }
  });

  it('gives macvtaps from a direct pool and taps on a host bridge', async () => {
    inNs(ns, ['ip', 'link', 'add', 'tsvup0', 'type', 'veth', 'peer', 'name', 'tsvup1']);
    inNs(ns, ['ip', 'link', 'add', 'tsvhost0', 'type', 'bridge']);
    await conn.network.createNetwork(
      parseNetworkXml(
        `<network><name>pool</name><forward mode='private'><interface dev='tsvup0'/><interface dev='tsvup1'/></forward></network>`,
      ),
    );
    await conn.network.createNetwork(
      parseNetworkXml(
        `<network><name>hostbr</name><forward mode='bridge'/><bridge name='tsvhost0' macTableManager='libvirt'/>
          <bandwidth><inbound average='500'/></bandwidth></network>`,
      ),
    );
    const ports = await openNetworkPorts(`network:///embed?root=${root}`, { config: { netns: ns } });
    try {
      const m1 = await ports.allocatePort('pool', { mac: '52:54:00:00:02:01' });
      const m2 = await ports.allocatePort('pool', { mac: '52:54:00:00:02:02' });
      expect(m1).toMatchObject({ type: 'macvtap', device: 'tsvup0' });
      expect(m2).toMatchObject({ type: 'macvtap', device: 'tsvup1' });
      const link = JSON.parse(inNs(ns, ['ip', '-j', '-d', 'link', 'show', 'dev', m1.ifname]))[0];
      expect(link.linkinfo).toMatchObject({ info_kind: 'macvtap', info_data: { mode: 'private' } });
      expect(link.address).toBe('52:54:00:00:02:01');
      expect(link.link).toBe('tsvup0');
      const live = formatNetworkXml(
        await conn.network.getNetworkXml(await conn.network.lookupNetwork({ name: 'pool' }), 0),
      );
      expect(live).toMatch(/<network connections='2'>/);
      expect(live).toContain("<interface dev='tsvup0' connections='1'/>");
      await expectVirError(
        ports.allocatePort('pool', { mac: '52:54:00:00:02:01' }),
        ErrorCode.OPERATION_INVALID,
        /MAC address '52:54:00:00:02:01' is already in use on network 'pool'/,
      );

      // The host bridge is used as it is: the network's bandwidth and MAC table mode go on it.
      expect(classes(ns, 'tsvhost0')).toContainEqual({ id: '1:1', rate: kbps(500), ceil: kbps(500) });
      const hostbr = JSON.parse(inNs(ns, ['ip', '-j', '-d', 'link', 'show', 'dev', 'tsvhost0']))[0];
      if (hostbr.linkinfo.info_data.vlan_filtering !== 1) {
        expect(warnings).toContainEqual(
          expect.stringMatching(/no bridge VLAN filtering: tsvhost0 keeps its MAC table/),
        );
      }
      const t = await ports.allocatePort('hostbr', { mac: '52:54:00:00:03:01' });
      expect(t).toMatchObject({ type: 'tap', bridge: 'tsvhost0' });
      expect(JSON.parse(inNs(ns, ['ip', '-j', 'link', 'show', 'dev', t.ifname]))[0].master).toBe('tsvhost0');
      // libvirt keeps the MAC table: no learning or flooding on the port, the guest's MAC entered.
      const port = JSON.parse(inNs(ns, ['bridge', '-j', '-d', 'link', 'show', 'dev', t.ifname]))[0];
      expect([port.learning, port.flood]).toEqual([false, false]);
      expect(inNs(ns, ['bridge', 'fdb', 'show', 'dev', t.ifname])).toMatch(/^52:54:00:00:03:01 master tsvhost0/m);
      // No floor on a bridge the network does not own, as in libvirt.
      await expectVirError(
        ports.allocatePort('hostbr', { mac: '52:54:00:00:03:02', bandwidth: { inbound: { floor: 10 } } }),
        ErrorCode.CONFIG_UNSUPPORTED,
        /'floor' is only supported for interface type 'network' with forward type 'nat', 'route', 'open' or none/,
      );
      for (const p of [m1, m2]) await ports.releasePort('pool', p.ifname);
      await ports.releasePort('hostbr', t.ifname);
      expect(links(ns).filter((l) => /^(macvtap|vnet)/.test(l))).toEqual([]);
      // Destroy takes the network's classes off the host bridge, and leaves the bridge.
      await conn.network.destroyNetwork(await conn.network.lookupNetwork({ name: 'hostbr' }));
      expect(classes(ns, 'tsvhost0')).toEqual([]);
      expect(links(ns)).toContain('tsvhost0');
    } finally {
      await ports.close();
    }
  });
});
