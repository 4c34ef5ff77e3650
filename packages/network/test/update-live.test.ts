/**
 * net-update on running networks, inside a network namespace: a static DHCP host added live is
 * handed out by the running dnsmasq (re-read on SIGHUP, no restart) to a client namespace;
 * refusals change nothing; ranges restart dnsmasq; a forward device replaces the firewall
 * rules; --config, --live and --current reach the definitions libvirt's rules say.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, formatNetworkXml, parseConnectUri, parseNetworkXml } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetworkConnection } from '../src/driver/connection.js';
import { driver } from '../src/driver/descriptor.js';
import { deleteNamespace, inNs, newNamespace, processAlive, SKIP_REASON } from './netns.js';

const XML = (name: string, bridge: string) => `
<network>
  <name>${name}</name>
  <forward mode='nat'/>
  <bridge name='${bridge}' stp='off'/>
  <ip address='192.168.170.1' prefix='24'>
    <dhcp>
      <range start='192.168.170.100' end='192.168.170.120'/>
      <host mac='02:00:00:aa:bb:cc' name='fixed' ip='192.168.170.50'/>
    </dhcp>
  </ip>
</network>`;

const ADD_LAST = 3;
const ADD_FIRST = 4;
const DHCP_HOST = 4;
const DHCP_RANGE = 5;
const FORWARD_INTERFACE = 7;
const DNS_HOST = 10;
const DNS_TXT = 11;
const LIVE = 1;
const CONFIG = 2;

describe.skipIf(SKIP_REASON !== undefined)('net-update on a running network in a namespace', () => {
  const namespaces: string[] = [];
  let ns: string;
  let root: string;
  let conn: NetworkConnection;

  beforeEach(async () => {
    ns = newNamespace('upd');
    namespaces.push(ns);
    root = mkdtempSync(join(tmpdir(), 'tsvirt-update-'));
    // dnsmasq drops to user nobody after start and re-reads its hosts file from there on SIGHUP,
    // so the tree must be searchable, as libvirt's /var/lib/libvirt/dnsmasq is.
    chmodSync(root, 0o755);
    const c = await driver.open(parseConnectUri(`network:///embed?root=${root}`), { config: { netns: ns } });
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

  const runState = (name: string) => JSON.parse(readFileSync(join(root, 'run/network', `${name}.json`), 'utf8'));
  const xmlOf = async (ref: { name: string; uuid: string }, flags: number) =>
    formatNetworkXml(await conn.network.getNetworkXml(ref, flags), { inactive: flags === 1 });

  it('adds a static host live: the running dnsmasq re-reads it and leases the fixed address', async () => {
    const net = conn.network;
    const ref = await net.defineNetwork(parseNetworkXml(XML('upd', 'tsvupd0')));
    await net.startNetwork(ref);
    const pid = runState('upd').dnsmasqPid as number;

    await net.updateNetwork(
      ref,
      ADD_LAST,
      DHCP_HOST,
      -1,
      "<host mac='02:00:00:00:00:77' name='late' ip='192.168.170.60'/>",
      LIVE,
    );
    expect(runState('upd').dnsmasqPid).toBe(pid);
    expect(processAlive(pid)).toBe(true);
    const hostsfile = join(root, 'lib/dnsmasq/upd.hostsfile');
    expect(readFileSync(hostsfile, 'utf8')).toContain('02:00:00:00:00:77,192.168.170.60,late');
    expect(await xmlOf(ref, 0)).toContain("<host mac='02:00:00:00:00:77' name='late' ip='192.168.170.60'/>");
    // Live only: the persistent definition (memory and disk) does not have it.
    expect(await xmlOf(ref, 1)).not.toContain('02:00:00:00:00:77');
    expect(readFileSync(join(root, 'etc/networks/upd.xml'), 'utf8')).not.toContain('02:00:00:00:00:77');
    // …but the live state file does, so a driver restart keeps it.
    expect(readFileSync(join(root, 'run/network/upd.xml'), 'utf8')).toContain('02:00:00:00:00:77');

    // A client with that MAC gets the fixed address from the running dnsmasq.
    const guest = newNamespace('updg');
    namespaces.push(guest);
    inNs(ns, ['ip', 'link', 'add', 'tsvuport', 'type', 'veth', 'peer', 'name', 'tsvuguest']);
    inNs(ns, ['ip', 'link', 'set', 'tsvuguest', 'netns', guest]);
    inNs(ns, ['ip', 'link', 'set', 'tsvuport', 'master', 'tsvupd0', 'up']);
    inNs(guest, ['ip', 'link', 'set', 'tsvuguest', 'address', '02:00:00:00:00:77', 'up']);
    inNs(guest, ['busybox', 'udhcpc', '-i', 'tsvuguest', '-n', '-q', '-t', '20', '-T', '1', '-s', '/bin/true']);
    const leases = await net.getDhcpLeases(ref, '02:00:00:00:00:77', 0);
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatchObject({ ipAddress: '192.168.170.60', prefix: 24, iface: 'tsvupd0', type: 0 });

    // A DNS host added live is answered by the same dnsmasq (addn-hosts re-read on SIGHUP).
    await net.updateNetwork(
      ref,
      ADD_LAST,
      DNS_HOST,
      -1,
      "<host ip='192.168.170.77'><hostname>web</hostname></host>",
      LIVE,
    );
    expect(runState('upd').dnsmasqPid).toBe(pid);
    inNs(guest, ['ip', 'addr', 'add', '192.168.170.60/24', 'dev', 'tsvuguest']);
    const answer = inNs(guest, ['busybox', 'nslookup', '-type=a', 'web', '192.168.170.1']);
    expect(answer).toMatch(/Address:?\s+192\.168\.170\.77/);

    // The same MAC again is refused, and nothing changes.
    const before = [readFileSync(hostsfile, 'utf8'), await xmlOf(ref, 0)];
    await expectVirError(
      net.updateNetwork(ref, ADD_FIRST, DHCP_HOST, -1, "<host mac='02:00:00:00:00:77' ip='192.168.170.61'/>", LIVE),
      ErrorCode.OPERATION_INVALID,
      /there is an existing dhcp host entry in network 'upd' that matches "<host mac='02:00:00:00:00:77' name='\(null\)' ip='192\.168\.170\.61'\/>"/,
    );
    expect([readFileSync(hostsfile, 'utf8'), await xmlOf(ref, 0)]).toEqual(before);
    expect(runState('upd').dnsmasqPid).toBe(pid);
  });

  it('restarts dnsmasq for a new range, replaces the firewall for a forward device, and honours --config/--current', async () => {
    const net = conn.network;
    const ref = await net.defineNetwork(parseNetworkXml(XML('upd2', 'tsvupd1')));
    await net.startNetwork(ref);
    const pid = runState('upd2').dnsmasqPid as number;

    await net.updateNetwork(
      ref,
      ADD_LAST,
      DHCP_RANGE,
      0,
      "<range start='192.168.170.200' end='192.168.170.210'/>",
      LIVE | CONFIG,
    );
    const newPid = runState('upd2').dnsmasqPid as number;
    expect(newPid).not.toBe(pid);
    expect(processAlive(pid)).toBe(false);
    expect(processAlive(newPid)).toBe(true);
    expect(readFileSync(join(root, 'lib/dnsmasq/upd2.conf'), 'utf8')).toContain(
      'dhcp-range=192.168.170.200,192.168.170.210',
    );
    expect(readFileSync(join(root, 'etc/networks/upd2.xml'), 'utf8')).toContain("<range start='192.168.170.200'");

    // nft's oif needs the device to exist: a forward device that does not is refused, nothing changes.
    const rulesBefore = inNs(ns, ['nft', 'list', 'table', 'ip', 'libvirt_network']);
    await expect(
      net.updateNetwork(ref, ADD_LAST, FORWARD_INTERFACE, -1, "<interface dev='tsvwan0'/>", LIVE),
    ).rejects.toThrow(/Interface does not exist/);
    expect(inNs(ns, ['nft', 'list', 'table', 'ip', 'libvirt_network'])).toBe(rulesBefore);
    expect(await xmlOf(ref, 0)).not.toContain('tsvwan0');
    inNs(ns, ['ip', 'link', 'add', 'tsvwan0', 'type', 'veth', 'peer', 'name', 'tsvwan1']);
    await net.updateNetwork(ref, ADD_LAST, FORWARD_INTERFACE, -1, "<interface dev='tsvwan0'/>", LIVE);
    const rules = inNs(ns, ['nft', 'list', 'table', 'ip', 'libvirt_network']);
    expect(rules).toMatch(/oif "tsvwan0"/);
    // The old rules (any output device) are gone: every masquerade now names the device.
    for (const line of rules.split('\n').filter((l) => l.includes('masquerade'))) expect(line).toContain('tsvwan0');

    // --config on a running network: only the next start sees it.
    await net.updateNetwork(ref, ADD_LAST, DNS_TXT, -1, "<txt name='cfg' value='only'/>", CONFIG);
    expect(await xmlOf(ref, 1)).toContain("<txt name='cfg' value='only'/>");
    expect(await xmlOf(ref, 0)).not.toContain("name='cfg'");

    await net.destroyNetwork(ref);
    await expectVirError(
      net.updateNetwork(ref, ADD_LAST, DNS_TXT, -1, "<txt name='x' value='y'/>", LIVE),
      ErrorCode.OPERATION_INVALID,
      /network is not running/,
    );
    // --current on an inactive network is the persistent config; the live-only host is gone.
    await net.updateNetwork(ref, ADD_LAST, DNS_TXT, -1, "<txt name='cur' value='rent'/>", 0);
    const inactive = await xmlOf(ref, 1);
    expect(inactive).toContain("<txt name='cur' value='rent'/>");
    expect(inactive).toContain("<txt name='cfg' value='only'/>");
    expect(inactive).not.toContain('tsvwan0');

    const tref = await net.createNetwork(
      parseNetworkXml(
        `<network><name>tr</name><bridge name='tsvtr0'/><ip address='192.168.171.1' prefix='24'/></network>`,
      ),
    );
    await expectVirError(
      net.updateNetwork(tref, ADD_LAST, DNS_TXT, -1, "<txt name='x' value='y'/>", CONFIG),
      ErrorCode.OPERATION_INVALID,
      /cannot change persistent config of a transient network/,
    );
    await expectVirError(
      net.updateNetwork(tref, ADD_LAST, DNS_TXT, -1, "<txt name='x' value='y'/>", 4),
      ErrorCode.INVALID_ARG,
      /unsupported flags \(0x4\) in function networkUpdate/,
    );
  });
});
