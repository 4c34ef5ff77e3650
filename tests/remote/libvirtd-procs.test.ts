/**
 * The procedures added for issue 5, called by tsvirt's remote client on the real libvirtd 9.0 of
 * this machine: memory, vCPUs, rename, reset, save/restore, managed save, block and interface
 * stats, network update and DHCP leases on its test driver (test:///default), domain
 * capabilities and domxml-to-native on its qemu driver (qemu:///session, no guest booted).
 * Where libvirt's test driver has no such API, libvirtd's own "not supported" error naming the
 * API proves the procedure number and argument layout were understood.
 */
import { join } from 'node:path';
import {
  type Connection,
  connect,
  DomainState,
  ErrorCode,
  NetworkUpdateCommand,
  NetworkUpdateFlags,
  NetworkUpdateSection,
} from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
if (unavailable) console.warn(`[tests/remote] skipping the real-libvirtd procedure tests: ${unavailable}`);

let daemon: Libvirtd | undefined;
const d = (): Libvirtd => {
  if (!daemon) throw new Error('libvirtd did not start');
  return daemon;
};

/** One connection per test: libvirtd resets its test driver when the last one closes. */
async function withTest<T>(fn: (c: Connection) => Promise<T>, readOnly = false): Promise<T> {
  const c = await connect(d().tcpUri(), { drivers: [driver], readOnly });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

const unsupported = (api: string) => ({
  code: ErrorCode.NO_SUPPORT,
  message: `this function is not supported by the connection driver: ${api}`,
});

describe.skipIf(unavailable !== undefined)('new remote procedures against a real libvirtd', () => {
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('DOMAIN_GET_HOSTNAME, GET_CONTROL_INFO, MEMORY_STATS: the client reads libvirt’s test driver', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      expect(await dom.getHostname()).toBe('testhost');
      expect(await dom.getControlInfo()).toEqual({ state: 0, details: 0, stateTime: 0 });
      const stats = await dom.memoryStats();
      expect(stats).toHaveLength(13);
      expect(stats[0]).toEqual({ tag: 6, val: 2097152n });
      expect(await dom.memoryStats(2)).toHaveLength(2);
      await dom.destroy();
      await expect(dom.getHostname()).rejects.toMatchObject({
        code: ErrorCode.OPERATION_INVALID,
        message: 'Requested operation is not valid: domain is not running',
      });
    }));

  it('DOMAIN_SET_MEMORY_FLAGS, SET_MAX_MEMORY, SET_VCPUS_FLAGS, RESET on the running test domain', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      await dom.setMemory(1048576);
      expect((await dom.getInfo()).memory).toBe(1048576);
      // libvirtd's own refusals travel back unchanged.
      await expect(dom.setMemory(99_999_999)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARG });
      await expect(dom.setMaxMemory(4194304)).rejects.toMatchObject({
        code: ErrorCode.OPERATION_INVALID,
        message: 'Requested operation is not valid: cannot resize the maximum memory on an active domain',
      });
      await dom.setVcpus(1);
      expect((await dom.getInfo()).nrVirtCpu).toBe(1);
      await dom.reset();
      expect((await dom.getState()).state).toBe(DomainState.RUNNING);
      await dom.destroy();
      await dom.setMaxMemory(4194304);
      expect((await dom.getInfo()).maxMem).toBe(4194304);
    }));

  it('DOMAIN_RENAME: refused while running, then renamed with the same UUID', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      await expect(dom.rename('t2')).rejects.toMatchObject({
        code: ErrorCode.OPERATION_INVALID,
        message: 'Requested operation is not valid: cannot rename active domain',
      });
      await dom.destroy();
      const uuid = dom.getUUIDString();
      await dom.rename('t2');
      expect(dom.getName()).toBe('t2');
      expect((await c.lookupDomainByName('t2')).getUUIDString()).toBe(uuid);
      await expect(c.lookupDomainByName('test')).rejects.toMatchObject({ code: ErrorCode.NO_DOMAIN });
    }));

  it('the write procedures are refused on a read-only connection with libvirt’s error', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      await expect(dom.setMemory(1048576)).rejects.toMatchObject({
        code: ErrorCode.OPERATION_DENIED,
        message: 'operation forbidden: read only access prevents virDomainSetMemory',
      });
      await expect(dom.save('/nonexistent')).rejects.toMatchObject({ code: ErrorCode.OPERATION_DENIED });
      const net = await c.lookupNetworkByName('default');
      await expect(
        net.update(
          NetworkUpdateCommand.ADD_LAST,
          NetworkUpdateSection.IP_DHCP_HOST,
          -1,
          "<host mac='52:54:00:00:00:01'/>",
        ),
      ).rejects.toMatchObject({ code: ErrorCode.OPERATION_DENIED });
    }, true));

  it('DOMAIN_SAVE_FLAGS, RESTORE_FLAGS, MANAGED_SAVE, MANAGED_SAVE_REMOVE', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      const image = join(d().dir, 'home', 'test.save');
      await dom.save(image);
      expect((await dom.getState()).state).toBe(DomainState.SHUTOFF);
      const restored = await c.restoreDomain(image);
      expect(restored.getName()).toBe('test');
      expect(restored.getID()).toBeGreaterThan(0);
      expect((await restored.getState()).state).toBe(DomainState.RUNNING);
      await restored.managedSave();
      expect(await restored.hasManagedSaveImage()).toBe(true);
      expect((await restored.getState()).state).toBe(DomainState.SHUTOFF);
      await restored.managedSaveRemove();
      expect(await restored.hasManagedSaveImage()).toBe(false);
      await expect(c.restoreDomain(join(d().dir, 'home', 'missing.save'))).rejects.toMatchObject({
        code: ErrorCode.SYSTEM_ERROR,
      });
    }));

  it('DOMAIN_BLOCK_STATS and INTERFACE_STATS give the test driver’s counters; BLOCK_STATS_FLAGS reaches it', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      const blk = await dom.blockStats('vda');
      for (const v of Object.values(blk)) expect(v).toBeGreaterThan(0n);
      // libvirt's test driver derives its counters from the clock: they only grow.
      const later = await dom.blockStats('vda');
      expect(later.rdReq).toBeGreaterThanOrEqual(blk.rdReq);
      const nic = await dom.interfaceStats('testnet0');
      expect(Object.keys(nic)).toHaveLength(8);
      for (const v of Object.values(nic)) expect(v).toBeGreaterThan(0n);
      await expect(dom.interfaceStats('vnet9')).rejects.toMatchObject({
        code: ErrorCode.INVALID_ARG,
        message: "invalid argument: 'vnet9' is not a known interface",
      });
      await expect(dom.blockStatsFlags('vda')).rejects.toMatchObject(unsupported('virDomainBlockStatsFlags'));
    }));

  it('DOMAIN_ATTACH/DETACH_DEVICE_FLAGS reach the test driver (which has no hot-plug)', () =>
    withTest(async (c) => {
      const dom = await c.lookupDomainByName('test');
      const disk = "<disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='vdb' bus='virtio'/></disk>";
      await expect(dom.attachDevice(disk, 1)).rejects.toMatchObject(unsupported('virDomainAttachDeviceFlags'));
      await expect(dom.detachDevice(disk, 1)).rejects.toMatchObject(unsupported('virDomainDetachDeviceFlags'));
    }));

  it('NETWORK_UPDATE changes the live network; NETWORK_GET_DHCP_LEASES reaches the test driver', () =>
    withTest(async (c) => {
      const net = await c.lookupNetworkByName('default');
      await net.update(
        NetworkUpdateCommand.ADD_LAST,
        NetworkUpdateSection.IP_DHCP_HOST,
        -1,
        "<host mac='52:54:00:00:00:01' ip='192.168.122.45'/>",
        NetworkUpdateFlags.AFFECT_LIVE,
      );
      expect(await net.getXmlDesc()).toContain("<host mac='52:54:00:00:00:01' ip='192.168.122.45'/>");
      await expect(
        net.update(
          NetworkUpdateCommand.DELETE,
          NetworkUpdateSection.IP_DHCP_HOST,
          -1,
          "<host mac='52:54:00:00:00:99'/>",
        ),
      ).rejects.toMatchObject({ code: ErrorCode.OPERATION_INVALID });
      await expect(net.getDHCPLeases()).rejects.toMatchObject(unsupported('virNetworkGetDHCPLeases'));
    }));

  it('CONNECT_GET_SYSINFO, NODE_GET_FREE_MEMORY and CONNECT_GET_MAX_VCPUS answer as libvirt-python sees them', () =>
    withTest(async (c) => {
      expect(await c.getSysinfo()).toContain('<sysinfo');
      expect(await c.getFreeMemory()).toBe(3145728);
      expect(await c.getMaxVcpus()).toBe(32);
    }));

  it('CONNECT_GET_DOMAIN_CAPABILITIES and CONNECT_DOMAIN_XML_TO_NATIVE on libvirtd’s qemu:///session', async () => {
    const c = await connect(`qemu+tcp://127.0.0.1:${d().port}/session`, { drivers: [driver] });
    try {
      const caps = await c.getDomainCapabilities({ virtType: 'qemu' });
      expect(caps).toMatch(/^<domainCapabilities>/);
      expect(caps).toContain('<domain>qemu</domain>');
      const argv = await c.domainXmlToNative(
        'qemu-argv',
        "<domain type='qemu'><name>n1</name><memory>65536</memory><os><type>hvm</type></os></domain>",
      );
      expect(argv).toMatch(/qemu-system-x86_64/);
      expect(argv).toContain('-name guest=n1');
      // The test driver on the same daemon has neither.
      await withTest(async (t) => {
        await expect(t.getDomainCapabilities()).rejects.toMatchObject(unsupported('virConnectGetDomainCapabilities'));
      });
    } finally {
      await c.close();
    }
  }, 60_000);
});
