import {
  connect,
  DomainState,
  ErrorCode,
  ErrorDomain,
  ListDomainsFlags,
  RunningReason,
  ShutoffReason,
} from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

const open = (uri = 'test:///default') => connect(uri, { drivers: [driver] });

describe('test:///default', () => {
  it("starts with libvirt's objects and values", async () => {
    const conn = await open();
    try {
      expect(conn.getType()).toBe('TEST');
      expect(await conn.getVersion()).toBe(2);
      expect(await conn.getNodeInfo()).toEqual({
        model: 'i686',
        memory: 3145728,
        cpus: 16,
        mhz: 1400,
        nodes: 2,
        sockets: 2,
        cores: 2,
        threads: 2,
      });
      const [dom] = await conn.listAllDomains();
      expect(dom?.getName()).toBe('test');
      expect(dom?.getID()).toBe(1);
      expect(dom?.getUUIDString()).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
      expect(await dom?.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.UNKNOWN });
      const info = await dom!.getInfo();
      expect(info).toMatchObject({ state: DomainState.RUNNING, maxMem: 8388608, memory: 2097152, nrVirtCpu: 2 });
      expect((await conn.listAllNetworks()).map((n) => n.getName())).toEqual(['default']);
      const pool = await conn.lookupStoragePoolByName('default-pool');
      expect(await pool.getInfo()).toEqual({
        state: 2,
        capacity: 107374182400,
        allocation: 0,
        available: 107374182400,
      });
    } finally {
      await conn.close();
    }
  });

  it('is shared by open connections and starts afresh when the last one closes', async () => {
    const a = await open();
    const b = await open();
    const dom = await a.lookupDomainByName('test');
    await dom.destroy();
    expect(await (await b.lookupDomainByName('test')).isActive()).toBe(false);
    await a.close();
    expect(await (await b.lookupDomainByName('test')).isActive()).toBe(false);
    await b.close();
    const c = await open();
    expect(await (await c.lookupDomainByName('test')).isActive()).toBe(true);
    await c.close();
  });

  it('follows libvirt 9 state transitions, reasons and errors', async () => {
    const conn = await open();
    try {
      const dom = await conn.lookupDomainByName('test');
      await dom.suspend();
      expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: 1 });
      await expectVirError(dom.suspend(), ErrorCode.INTERNAL_ERROR, "internal error: domain 'test' not running");
      await dom.resume();
      expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.UNPAUSED });
      await expectVirError(dom.resume(), ErrorCode.INTERNAL_ERROR, "internal error: domain 'test' not paused");
      await dom.shutdown();
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.SHUTDOWN });
      expect(dom.getID()).toBe(-1);
      await expectVirError(
        dom.destroy(),
        ErrorCode.OPERATION_INVALID,
        'Requested operation is not valid: domain is not running',
      );
      await dom.create();
      expect(dom.getID()).toBe(2);
      await expectVirError(dom.create(), ErrorCode.INTERNAL_ERROR, "internal error: Domain 'test' is already running");
      await dom.destroy();
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.DESTROYED });
    } finally {
      await conn.close();
    }
  });

  it('makes an undefined running domain transient, then forgets it when it stops', async () => {
    const conn = await open();
    try {
      const dom = await conn.lookupDomainByName('test');
      await dom.undefine();
      expect(await dom.isPersistent()).toBe(false);
      expect((await conn.listAllDomains(ListDomainsFlags.TRANSIENT)).length).toBe(1);
      await dom.destroy();
      try {
        await conn.lookupDomainByName('test');
        expect.unreachable();
      } catch (err) {
        expect(err).toMatchObject({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.TEST, message: 'Domain not found' });
      }
    } finally {
      await conn.close();
    }
  });

  it('rejects definitions that clash by name or UUID, as libvirt words it', async () => {
    const conn = await open();
    try {
      const xml = (name: string, uuid: string) =>
        `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>`;
      await expectVirError(
        conn.defineDomainXml(xml('test', '11111111-1111-1111-1111-111111111111')),
        ErrorCode.OPERATION_FAILED,
        "operation failed: domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f",
      );
      await expectVirError(
        conn.defineDomainXml(xml('other', '6695eb01-f6a4-8304-79aa-97f2502e193f')),
        ErrorCode.OPERATION_FAILED,
        "operation failed: domain 'test' is already defined with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f",
      );
    } finally {
      await conn.close();
    }
  });

  it('keeps a definition saved while running for the next start', async () => {
    const conn = await open();
    try {
      const dom = await conn.lookupDomainByName('test');
      const inactive = await dom.getXmlDesc(2);
      await conn.defineDomainXml(
        inactive.replace("<memory unit='KiB'>8388608</memory>", "<memory unit='KiB'>4194304</memory>"),
      );
      expect((await dom.getInfo()).maxMem).toBe(8388608);
      expect(await dom.getXmlDesc(2)).toContain("<memory unit='KiB'>4194304</memory>");
      await dom.destroy();
      expect((await dom.getInfo()).maxMem).toBe(4194304);
    } finally {
      await conn.close();
    }
  });
});
