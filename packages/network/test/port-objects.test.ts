/**
 * Network ports as objects (virNetworkPort, libvirt 5.5+) on a real network in a namespace:
 * created from <networkport> XML (floor class plugged on the bridge with the real tc, no device
 * created), listed beside a guest NIC's port from allocatePort (one kind of object), looked up,
 * formatted, kept across a driver restart (same UUIDs, same class IDs), deleted; refusals with
 * libvirt's errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, ErrorCode, type Network } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver, openNetworkPorts } from '../src/index.js';
import { deleteNamespace, inNs, links, newNamespace, SKIP_REASON } from './netns.js';

const NET = `<network>
  <name>ports</name>
  <forward mode='nat'/>
  <bridge name='tsvport0'/>
  <bandwidth><inbound average='1000' peak='2000'/><outbound average='500'/></bandwidth>
  <portgroup name='web'/>
  <ip address='192.168.161.1' prefix='24'/>
</network>`;

const PORT_UUID = '5d744f21-ba4a-4d6e-bdb2-30a35ff3207d';
const PORT = `<networkport>
  <uuid>${PORT_UUID}</uuid>
  <owner><name>memtest</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>
  <group>web</group>
  <mac address='52:54:00:7b:35:93'/>
  <bandwidth><inbound average='100' floor='200'/></bandwidth>
  <rxfilters trustGuest='yes'/>
</networkport>`;

const classIds = (ns: string): string[] =>
  [...inNs(ns, ['tc', 'class', 'show', 'dev', 'tsvport0']).matchAll(/^class htb (\S+)/gm)].map((m) => m[1]!).sort();

describe.skipIf(SKIP_REASON !== undefined)('network port objects', () => {
  let ns: string;
  let root: string;
  let conn: Connection;
  let net: Network;
  const open = () =>
    connect(`network:///embed?root=${root}`, { drivers: [driver], config: { netns: ns, warn: () => {} } });

  beforeAll(async () => {
    ns = newNamespace('port');
    root = mkdtempSync(join(tmpdir(), 'tsvirt-port-'));
    conn = await open();
    net = await conn.defineNetworkXml(NET);
    await net.create();
  });
  afterAll(async () => {
    for (const n of await conn.listAllNetworks().catch(() => [])) {
      await n.destroy().catch(() => undefined);
      await n.undefine().catch(() => undefined);
    }
    await conn.close();
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a port from XML: floor class on the bridge, no device, libvirt XML back', async () => {
    const before = links(ns);
    const port = await net.createPort(PORT);
    expect(port.getUUIDString()).toBe(PORT_UUID);
    expect(links(ns)).toEqual(before);
    expect(classIds(ns)).toEqual(['1:1', '1:2', '1:3']);
    expect(await port.getXMLDesc()).toBe(`<networkport>
  <uuid>${PORT_UUID}</uuid>
  <owner>
    <name>memtest</name>
    <uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid>
  </owner>
  <group>web</group>
  <mac address='52:54:00:7b:35:93'/>
  <bandwidth classID='3'>
    <inbound average='100' floor='200'/>
  </bandwidth>
  <rxfilters trustGuest='yes'/>
  <plug type='network' bridge='tsvport0'/>
</networkport>
`);
    expect(await net.getXmlDesc()).toContain("<network connections='1'>");
  });

  it('refuses a second port with that UUID or MAC, and a floor over the limit, changing nothing', async () => {
    await expectVirError(
      net.createPort(PORT),
      ErrorCode.NETWORK_PORT_EXIST,
      /Network port with UUID 5d744f21-ba4a-4d6e-bdb2-30a35ff3207d already exists/,
    );
    const big = PORT.replace(PORT_UUID, '11111111-2222-3333-4444-555555555555')
      .replace('52:54:00:7b:35:93', '52:54:00:7b:35:94')
      .replace("floor='200'", "floor='1900'");
    await expectVirError(net.createPort(big), ErrorCode.OPERATION_INVALID, /would overcommit peak=2000/);
    expect(classIds(ns)).toEqual(['1:1', '1:2', '1:3']);
    expect((await net.listAllPorts()).map((p) => p.getUUIDString())).toEqual([PORT_UUID]);
  });

  it('lists a guest NIC port from the hypervisor side as a port object too', async () => {
    const ports = await openNetworkPorts(`network:///embed?root=${root}`, { config: { netns: ns } });
    const tap = await ports.allocatePort('ports', {
      mac: '52:54:00:00:00:07',
      owner: 'vm7',
      ownerUuid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
    await ports.close();
    expect(tap.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const listed = (await net.listAllPorts()).map((p) => p.getUUIDString());
    expect(listed.sort()).toEqual([PORT_UUID, tap.uuid].sort());
    const xml = await (await net.lookupPortByUUIDString(tap.uuid)).getXMLDesc();
    expect(xml).toContain('<name>vm7</name>');
    expect(xml).toContain('<uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid>');
    expect(xml).toContain("<plug type='network' bridge='tsvport0'/>");
  });

  it('keeps the ports, their UUIDs and class IDs across a driver restart', async () => {
    const before = (await net.listAllPorts()).map((p) => p.getUUIDString()).sort();
    await conn.close();
    conn = await open();
    net = await conn.lookupNetworkByName('ports');
    expect((await net.listAllPorts()).map((p) => p.getUUIDString()).sort()).toEqual(before);
    expect(await (await net.lookupPortByUUIDString(PORT_UUID)).getXMLDesc()).toContain("<bandwidth classID='3'>");
  });

  it('gives a port recorded by an earlier version (no UUID) one, and keeps it', async () => {
    await conn.close();
    const file = join(root, 'run/network/ports.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    const tapKey = Object.keys(state.ports).find((k) => k.startsWith('vnet'))!;
    delete state.ports[tapKey].uuid;
    writeFileSync(file, JSON.stringify(state));
    conn = await open();
    net = await conn.lookupNetworkByName('ports');
    const given = (await net.listAllPorts()).map((p) => p.getUUIDString()).filter((u) => u !== PORT_UUID);
    expect(given).toHaveLength(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).ports[tapKey].uuid).toBe(given[0]);
  });

  it('deletes ports: class and device gone, unknown UUIDs refused', async () => {
    for (const p of await net.listAllPorts()) await p.delete();
    expect(classIds(ns)).toEqual(['1:1', '1:2']);
    expect(links(ns).filter((l) => l.startsWith('vnet'))).toEqual([]);
    await expectVirError(
      net.lookupPortByUUIDString(PORT_UUID),
      ErrorCode.NO_NETWORK_PORT,
      /Network port with UUID 5d744f21-ba4a-4d6e-bdb2-30a35ff3207d does not exist/,
    );
    await net.destroy();
    await expectVirError(net.createPort(PORT), ErrorCode.OPERATION_INVALID, /network 'ports' is not active/);
  });
});
