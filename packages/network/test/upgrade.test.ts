/**
 * The live upgrade, in a network namespace: a running network with guest floors in use and a
 * static DHCP host added live has its state in the older persistent location (lib/network under
 * the root, where earlier versions kept it, world-readable); the driver starts again with the
 * new layout. The state moves to the run-state directory (0600, old files removed) and the class
 * IDs, the floor sum and the live host are all still in force — on the host and in the driver.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, formatNetworkXml, isVirError, parseConnectUri, parseNetworkXml } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetworkConnection } from '../src/driver/connection.js';
import { driver } from '../src/driver/descriptor.js';
import { openNetworkPorts } from '../src/index.js';
import { deleteNamespace, inNs, links, newNamespace, processAlive, SKIP_REASON } from './netns.js';

const XML = `
<network>
  <name>up</name>
  <forward mode='nat'/>
  <bridge name='tsvup0'/>
  <bandwidth><inbound average='1000'/></bandwidth>
  <ip address='192.168.180.1' prefix='24'>
    <dhcp><range start='192.168.180.100' end='192.168.180.120'/></dhcp>
  </ip>
</network>`;

async function open(root: string, ns: string): Promise<NetworkConnection> {
  const c = await driver.open(parseConnectUri(`network:///embed?root=${root}`), {
    config: { netns: ns, warn: () => {} },
  });
  return c as NetworkConnection;
}

describe.skipIf(SKIP_REASON !== undefined)('upgrade: state in the old location, driver restarted', () => {
  const ns = SKIP_REASON === undefined ? newNamespace('upg') : '';
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-upgrade-'));
  chmodSync(root, 0o755);
  afterAll(async () => {
    const conn = await open(root, ns);
    for (const ref of await conn.network.listNetworks(0)) {
      if (await conn.network.isNetworkActive(ref)) await conn.network.destroyNetwork(ref).catch(() => {});
    }
    await conn.close();
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps class IDs, floor sum and a live DHCP host across the move', async () => {
    const uri = `network:///embed?root=${root}`;
    let conn = await open(root, ns);
    const ref = await conn.network.defineNetwork(parseNetworkXml(XML));
    await conn.network.startNetwork(ref);
    let ports = await openNetworkPorts(uri, { config: { netns: ns } });
    const a = await ports.allocatePort('up', { mac: '52:54:00:00:10:01', bandwidth: { inbound: { floor: 200 } } });
    const b = await ports.allocatePort('up', { mac: '52:54:00:00:10:02', bandwidth: { inbound: { floor: 300 } } });
    await ports.releasePort('up', a.ifname); // leaves a hole: IDs 0-2 and 4 in use
    const c = await ports.allocatePort('up', { mac: '52:54:00:00:10:03', bandwidth: { inbound: { floor: 100 } } });
    expect([b.classId, c.classId]).toEqual([4, 3]);
    await conn.network.updateNetwork(
      ref,
      3,
      4,
      -1,
      "<host mac='02:00:00:00:10:77' name='kept' ip='192.168.180.60'/>",
      1,
    );
    const before = {
      bw: await ports.getBandwidthState('up'),
      live: formatNetworkXml(await conn.network.getNetworkXml(ref, 0)),
      pid: JSON.parse(readFileSync(join(root, 'run/network/up.json'), 'utf8')).dnsmasqPid as number,
      classes: inNs(ns, ['tc', 'class', 'show', 'dev', 'tsvup0']),
    };
    expect(before.bw).toEqual({ classIds: [0, 1, 2, 3, 4], floorSum: 400 });
    await ports.close();
    await conn.close();

    // The older layout: the same state files in the persistent directory, readable by all.
    const oldDir = join(root, 'lib/network');
    mkdirSync(oldDir, { recursive: true });
    const files = readdirSync(join(root, 'run/network')).filter((f) => /\.(xml|json|macs)$/.test(f));
    expect(files.sort()).toEqual(['up.json', 'up.macs', 'up.xml']);
    for (const f of files) {
      renameSync(join(root, 'run/network', f), join(oldDir, f));
      chmodSync(join(oldDir, f), 0o644);
    }

    // A status file this driver did not write (no run state beside it) is not its to move.
    writeFileSync(join(oldDir, 'foreign.xml'), '<networkstatus/>\n');

    conn = await open(root, ns);
    expect(readFileSync(join(oldDir, 'foreign.xml'), 'utf8')).toBe('<networkstatus/>\n');
    expect(existsSync(join(root, 'run/network/foreign.xml'))).toBe(false);
    // Moved: in the run-state directory with mode 0600, gone from the old place.
    for (const f of files) {
      expect(statSync(join(root, 'run/network', f)).mode & 0o777).toBe(0o600);
      expect(existsSync(join(oldDir, f))).toBe(false);
    }
    expect(await conn.network.isNetworkActive(ref)).toBe(true);
    expect(formatNetworkXml(await conn.network.getNetworkXml(ref, 0))).toBe(before.live);
    expect(formatNetworkXml(await conn.network.getNetworkXml(ref, 1))).not.toContain('02:00:00:00:10:77');
    // The running dnsmasq was kept, and still has the live host.
    const state = JSON.parse(readFileSync(join(root, 'run/network/up.json'), 'utf8'));
    expect(state.dnsmasqPid).toBe(before.pid);
    expect(processAlive(before.pid)).toBe(true);
    expect(readFileSync(join(root, 'lib/dnsmasq/up.hostsfile'), 'utf8')).toContain(
      '02:00:00:00:10:77,192.168.180.60,kept',
    );

    ports = await openNetworkPorts(uri, { config: { netns: ns } });
    try {
      expect(await ports.getBandwidthState('up')).toEqual(before.bw);
      expect(inNs(ns, ['tc', 'class', 'show', 'dev', 'tsvup0'])).toBe(before.classes);
      // The floor sum is in force: 400 + 700 > 1000 is refused …
      try {
        await ports.allocatePort('up', { mac: '52:54:00:00:10:04', bandwidth: { inbound: { floor: 700 } } });
        throw new Error('expected a refusal');
      } catch (err) {
        expect(isVirError(err) && err.code === ErrorCode.OPERATION_INVALID).toBe(true);
        expect((err as Error).message).toMatch(/new combined inbound floor=1100 would overcommit average=1000/);
      }
      // … and the class IDs: the next port gets 5, not an ID already on the bridge.
      const d = await ports.allocatePort('up', { mac: '52:54:00:00:10:05', bandwidth: { inbound: { floor: 600 } } });
      expect(d.classId).toBe(5);
      expect(await ports.getBandwidthState('up')).toEqual({ classIds: [0, 1, 2, 3, 4, 5], floorSum: 1000 });
      // A port whose tap disappeared while the driver was away is given back on the next start.
      inNs(ns, ['ip', 'link', 'del', b.ifname]);
      await ports.close();
      await conn.close();
      conn = await open(root, ns);
      ports = await openNetworkPorts(uri, { config: { netns: ns } });
      expect(await ports.getBandwidthState('up')).toEqual({ classIds: [0, 1, 2, 3, 5], floorSum: 700 });
      expect(inNs(ns, ['tc', 'class', 'show', 'dev', 'tsvup0'])).not.toMatch(/class htb 1:4 /);
      expect(links(ns)).not.toContain(b.ifname);
    } finally {
      await ports.close();
      await conn.close();
    }
  });
});
