/**
 * forward mode='hostdev' and SR-IOV pools, on a host without SR-IOV hardware: definitions round
 * trip, a pool of a <pf> without virtual functions (a veth end, or no device at all) is
 * refused at start with libvirt's error and leaves nothing behind, a pool of explicit PCI
 * addresses starts (libvirt checks nothing more at start), and ports from it are refused.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver, openNetworkPorts } from '../src/index.js';
import { deleteNamespace, inNs, newNamespace, SKIP_REASON } from './netns.js';

const PF_NET = (name: string, mode: string, pf: string) =>
  `<network>\n  <name>${name}</name>\n  <forward mode='${mode}'>\n    <pf dev='${pf}'/>\n  </forward>\n</network>`;

describe.skipIf(SKIP_REASON !== undefined)('hostdev and SR-IOV pools without SR-IOV hardware', () => {
  let ns: string;
  let root: string;
  let conn: Connection;
  beforeAll(async () => {
    ns = newNamespace('hdev');
    // A plain (non SR-IOV) interface: this kernel has no dummy driver, so one end of a veth pair.
    inNs(ns, ['ip', 'link', 'add', 'tsvdum0', 'type', 'veth', 'peer', 'name', 'tsvdum1']);
    root = mkdtempSync(join(tmpdir(), 'tsvirt-hostdev-'));
    conn = await connect(`network:///embed?root=${root}`, { drivers: [driver], config: { netns: ns } });
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

  it.each([
    ['hostdev', 'tsvdum0'],
    ['hostdev', 'tsvnone0'],
    ['passthrough', 'tsvdum0'],
  ])("refuses to start a %s pool of PF %s (no VFs) with libvirt's error", async (mode, pf) => {
    const name = `pf-${mode}-${pf}`;
    const net = await conn.defineNetworkXml(PF_NET(name, mode, pf));
    expect(await net.getXmlDesc()).toContain(`<pf dev='${pf}'/>`);
    await expectVirError(
      net.create(),
      ErrorCode.INTERNAL_ERROR,
      `internal error: No usable Vf's present on SRIOV PF ${pf}`,
    );
    expect(await net.isActive()).toBe(false);
    expect(existsSync(join(root, 'run/network', `${name}.json`))).toBe(false);
    await net.undefine();
  });

  it('starts a hostdev pool of PCI addresses, and gives no ports from it', async () => {
    const net = await conn.createNetworkXml(`<network>
  <name>vfs</name>
  <forward mode='hostdev' managed='yes'>
    <driver name='vfio'/>
    <address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/>
  </forward>
</network>`);
    expect(await net.isActive()).toBe(true);
    expect(await net.getXmlDesc()).toContain(
      "<address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/>",
    );
    const ports = await openNetworkPorts(`network:///embed?root=${root}`, { config: { netns: ns } });
    try {
      await expectVirError(
        ports.allocatePort('vfs', { mac: '52:54:00:00:00:01' }),
        ErrorCode.CONFIG_UNSUPPORTED,
        /Unsupported network forward mode 'hostdev' for a port/,
      );
    } finally {
      await ports.close();
    }
    await net.destroy();
  });
});
