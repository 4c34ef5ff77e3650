import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../api/connection.js';
import type { Domain } from '../api/domain.js';
import { DomainXmlFlags, ListDomainsFlags, UndefineFlags } from '../contract/flags.js';
import { DomainEventType, DomainState, NetworkEventType } from '../contract/states.js';
import { ErrorCode } from '../errors/codes.js';
import { parseXml } from '../xml/adapter.js';
import { checkpointConformance } from './checkpoint-case.js';
import { cpuTuningConformance } from './cpu-tuning-suite.js';
import { expectVirError } from './expect-error.js';
import { hostStatsConformance } from './host-stats-suite.js';
import { interfaceConformance } from './interface-suite.js';
import { checkDomainMetadata } from './metadata-case.js';
import { tuningConformance } from './suite-tuning.js';

export interface ConformanceOptions {
  /** Shown in the describe() title. */
  readonly name: string;
  /** Opens a fresh connection (read-only when asked) onto a host the suite may change. */
  open(options: { readOnly: boolean }): Promise<Connection>;
  /** A domain definition this driver accepts, with the given name (and no UUID). */
  domainXml(name: string): string;
  /** A network definition this driver accepts, when it manages networks. */
  networkXml?(name: string): string;
  /** A volume definition for `poolName`, when it manages storage. */
  volumeXml?(name: string): string;
  /** An existing active pool volumes may be created in. */
  poolName?: string;
  /** A domain definition with a writable disk, for the checkpoint tests (skipped without it). */
  checkpointDomainXml?(name: string): string;
  /** How long a guest may take to act on an ACPI shutdown (real hypervisors). Default 0: at once. */
  shutdownTimeoutMs?: number;
}

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

async function waitForState(dom: Domain, state: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await dom.getState().catch(() => undefined);
    if (s?.state === state || Date.now() >= deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Register the conformance tests (call inside a vitest test file). */
export function runDriverConformance(opts: ConformanceOptions): void {
  describe(`driver conformance: ${opts.name}`, () => {
    let conn: Connection;
    beforeAll(async () => {
      conn = await opts.open({ readOnly: false });
    });
    afterAll(async () => {
      await conn?.close();
    });

    describe('required core', () => {
      it('answers type, version and capabilities', async () => {
        expect(conn.getType()).toMatch(/\S/);
        expect(Number.isInteger(await conn.getVersion())).toBe(true);
        const caps = parseXml(await conn.getCapabilities());
        expect(caps.name).toBe('capabilities');
        expect(conn.getUri()).toMatch(/^[a-z0-9+]+:/);
      });

      it('lists domains and looks each up by name, UUID and id', async () => {
        for (const dom of await conn.listAllDomains()) {
          expect((await conn.lookupDomainByName(dom.getName())).getUUIDString()).toBe(dom.getUUIDString());
          expect((await conn.lookupDomainByUuid(dom.getUUIDString())).getName()).toBe(dom.getName());
          if (dom.getID() >= 0) expect((await conn.lookupDomainById(dom.getID())).getName()).toBe(dom.getName());
          const xml = parseXml(await dom.getXmlDesc());
          expect(xml.name).toBe('domain');
        }
      });

      it('fails lookups of unknown domains with VIR_ERR_NO_DOMAIN', async () => {
        await expectVirError(conn.lookupDomainByName(uniqueName('missing')), ErrorCode.NO_DOMAIN);
        await expectVirError(conn.lookupDomainByUuid('00000000-0000-4000-8000-00000000dead'), ErrorCode.NO_DOMAIN);
      });

      it('rejects malformed UUIDs and XML before the driver sees them', async () => {
        await expectVirError(conn.lookupDomainByUuid('not-a-uuid'), ErrorCode.INVALID_ARG);
        if (conn.supports('domain.lifecycle.defineXml')) {
          await expectVirError(conn.defineDomainXml('<domain'), ErrorCode.XML_DETAIL);
        }
      });
    });

    describe('capability negotiation', () => {
      it('reports missing methods as VIR_ERR_NO_SUPPORT, present ones as supported', async () => {
        const dom = (await conn.listAllDomains())[0];
        if (!conn.supports('domain.lifecycle.suspend') && dom) {
          await expectVirError(dom.suspend(), ErrorCode.NO_SUPPORT, /not supported by the connection driver/);
        }
        if (!conn.supports('domain.snapshots') && dom) {
          await expectVirError(dom.listAllSnapshots(), ErrorCode.NO_SUPPORT);
        }
        expect(conn.supports('no.such.feature')).toBe(false);
      });
    });

    describe('persistent domains', () => {
      it('define, look up, round-trip XML, undefine', async (ctx) => {
        if (!conn.supports('domain.lifecycle.defineXml') || !conn.supports('domain.lifecycle.undefine')) ctx.skip();
        const name = uniqueName('conf');
        const dom = await conn.defineDomainXml(opts.domainXml(name));
        expect(dom.getName()).toBe(name);
        expect(dom.getID()).toBe(-1);
        expect(await dom.isActive()).toBe(false);
        expect(await dom.isPersistent()).toBe(true);
        const inactive = await conn.listAllDomains(ListDomainsFlags.INACTIVE);
        expect(inactive.map((d) => d.getName())).toContain(name);
        const xml = await dom.getXmlDesc(DomainXmlFlags.INACTIVE);
        expect(xml).toContain(`<name>${name}</name>`);
        expect(xml).toContain(`<uuid>${dom.getUUIDString()}</uuid>`);
        // Redefining the same XML updates the domain in place.
        const again = await conn.defineDomainXml(xml);
        expect(again.getUUIDString()).toBe(dom.getUUIDString());
        // Another UUID under the same name is refused.
        const clash = xml.replace(dom.getUUIDString(), '00000000-0000-4000-8000-0000000000aa');
        await expectVirError(conn.defineDomainXml(clash), ErrorCode.OPERATION_FAILED);
        await dom.undefine();
        await expectVirError(conn.lookupDomainByName(name), ErrorCode.NO_DOMAIN);
      });

      it('starts, pauses, resumes, shuts down and destroys', async (ctx) => {
        for (const f of ['defineXml', 'create', 'destroy', 'undefine', 'getState']) {
          if (!conn.supports(`domain.lifecycle.${f}`)) ctx.skip();
        }
        const dom = await conn.defineDomainXml(opts.domainXml(uniqueName('life')));
        try {
          await dom.create();
          expect(dom.getID()).toBeGreaterThanOrEqual(0);
          expect((await dom.getState()).state).toBe(DomainState.RUNNING);
          expect((await conn.lookupDomainById(dom.getID())).getName()).toBe(dom.getName());
          // Drivers differ in the code for "already running"; only the failure is required.
          await expect(dom.create()).rejects.toThrow();
          if (conn.supports('domain.lifecycle.suspend') && conn.supports('domain.lifecycle.resume')) {
            await dom.suspend();
            expect((await dom.getState()).state).toBe(DomainState.PAUSED);
            await dom.resume();
            expect((await dom.getState()).state).toBe(DomainState.RUNNING);
          }
          if (conn.supports('domain.lifecycle.getInfo')) {
            const info = await dom.getInfo();
            expect(info.state).toBe(DomainState.RUNNING);
            expect(info.maxMem).toBeGreaterThan(0);
            expect(typeof info.cpuTime).toBe('bigint');
          }
          if (conn.supports('domain.lifecycle.shutdown')) {
            await dom.shutdown();
            await waitForState(dom, DomainState.SHUTOFF, opts.shutdownTimeoutMs ?? 0);
            if ((await dom.getState()).state === DomainState.SHUTOFF) await dom.create();
          }
          await dom.destroy();
          expect(dom.getID()).toBe(-1);
          expect((await dom.getState()).state).toBe(DomainState.SHUTOFF);
          await expectVirError(dom.destroy(), ErrorCode.OPERATION_INVALID);
        } finally {
          if (await dom.isActive().catch(() => false)) await dom.destroy();
          await dom.undefine();
        }
      });

      it('keeps title, description and metadata elements', async (ctx) => {
        if (!conn.supports('domain.lifecycle.setMetadata') || !conn.supports('domain.lifecycle.defineXml')) ctx.skip();
        await checkDomainMetadata(conn, opts.domainXml(uniqueName('meta')));
      });

      it('keeps autostart', async (ctx) => {
        if (!conn.supports('domain.lifecycle.setAutostart') || !conn.supports('domain.lifecycle.defineXml')) ctx.skip();
        const dom = await conn.defineDomainXml(opts.domainXml(uniqueName('auto')));
        try {
          expect(await dom.getAutostart()).toBe(false);
          await dom.setAutostart(true);
          expect(await dom.getAutostart()).toBe(true);
          const autostarted = await conn.listAllDomains(ListDomainsFlags.AUTOSTART);
          expect(autostarted.map((d) => d.getName())).toContain(dom.getName());
        } finally {
          await dom.undefine();
        }
      });
    });

    describe('snapshots', () => {
      it('creates, lists, looks up, chains and deletes snapshots', async (ctx) => {
        if (!conn.supports('domain.snapshots') || !conn.supports('domain.lifecycle.defineXml')) ctx.skip();
        const dom = await conn.defineDomainXml(opts.domainXml(uniqueName('snap')));
        try {
          const first = await dom.createSnapshotXml(
            '<domainsnapshot><name>first</name><description>one</description></domainsnapshot>',
          );
          expect(first.getName()).toBe('first');
          const xml = parseXml(await first.getXmlDesc());
          expect(xml.name).toBe('domainsnapshot');
          expect(xml.nodes.some((n) => typeof n !== 'string' && n.name === 'domain')).toBe(true);
          const second = await dom.createSnapshotXml('<domainsnapshot><name>second</name></domainsnapshot>');
          expect((await second.getParent()).getName()).toBe('first');
          if (conn.supports('domain.snapshots.current')) expect((await dom.snapshotCurrent()).getName()).toBe('second');
          expect((await dom.listAllSnapshots()).map((s) => s.getName()).sort()).toEqual(['first', 'second']);
          await expectVirError(
            dom.createSnapshotXml('<domainsnapshot><name>first</name></domainsnapshot>'),
            ErrorCode.OPERATION_FAILED,
          );
          await expectVirError(dom.snapshotLookupByName('missing'), ErrorCode.NO_DOMAIN_SNAPSHOT);
          await (await dom.snapshotLookupByName('first')).delete();
          await expectVirError(second.getParent(), ErrorCode.NO_DOMAIN_SNAPSHOT);
          expect((await dom.listAllSnapshots()).map((s) => s.getName())).toEqual(['second']);
        } finally {
          await dom.undefine(UndefineFlags.SNAPSHOTS_METADATA);
        }
      });
    });

    describe('checkpoints', () =>
      checkpointConformance(
        () => conn,
        opts.open,
        opts.checkpointDomainXml,
        () => uniqueName('chk'),
      ));

    describe('transient domains', () => {
      it('createXml runs a domain that vanishes when destroyed', async (ctx) => {
        if (!conn.supports('domain.lifecycle.createXml') || !conn.supports('domain.lifecycle.destroy')) ctx.skip();
        const name = uniqueName('transient');
        const dom = await conn.createDomainXml(opts.domainXml(name));
        expect(await dom.isActive()).toBe(true);
        expect(await dom.isPersistent()).toBe(false);
        expect((await conn.listAllDomains(ListDomainsFlags.TRANSIENT)).map((d) => d.getName())).toContain(name);
        await dom.destroy();
        await expectVirError(conn.lookupDomainByName(name), ErrorCode.NO_DOMAIN);
      });
    });

    describe('tuning parameters', () => {
      tuningConformance(
        () => conn,
        opts.open,
        opts.domainXml,
        () => uniqueName('tune'),
      );
    });
    describe('vCPUs, pinning, scheduler', () => cpuTuningConformance(() => conn, { ...opts, uniqueName }));
    describe('host interfaces', () => interfaceConformance(() => conn, { open: opts.open, uniqueName }));

    describe('read-only connections', () => {
      it('refuse every write with VIR_ERR_OPERATION_DENIED and allow reads', async () => {
        const ro = await opts.open({ readOnly: true });
        try {
          expect(ro.readOnly).toBe(true);
          await ro.listAllDomains();
          await expectVirError(ro.defineDomainXml(opts.domainXml(uniqueName('ro'))), ErrorCode.OPERATION_DENIED);
          const dom = (await ro.listAllDomains())[0];
          if (dom) {
            await expectVirError(dom.destroy(), ErrorCode.OPERATION_DENIED);
            await expectVirError(dom.getXmlDesc(DomainXmlFlags.SECURE), ErrorCode.OPERATION_DENIED);
          }
        } finally {
          await ro.close();
        }
      });
    });

    describe('events', () => {
      it('delivers domain lifecycle events in order', async (ctx) => {
        if (!conn.supports('events') || !conn.supports('domain.lifecycle.defineXml')) ctx.skip();
        const name = uniqueName('events');
        const seen: number[] = [];
        const off = conn.on('domain-lifecycle', (e) => {
          if (e.domain.getName() === name) seen.push(e.event);
        });
        const dom = await conn.defineDomainXml(opts.domainXml(name));
        const canRun = conn.supports('domain.lifecycle.create') && conn.supports('domain.lifecycle.destroy');
        if (canRun) {
          await dom.create();
          await dom.destroy();
        }
        await dom.undefine();
        await new Promise((r) => setTimeout(r, 50));
        off();
        const expected = canRun
          ? [DomainEventType.DEFINED, DomainEventType.STARTED, DomainEventType.STOPPED, DomainEventType.UNDEFINED]
          : [DomainEventType.DEFINED, DomainEventType.UNDEFINED];
        expect(seen).toEqual(expected);
      });
    });

    describe('networks', () => {
      it('lists and looks up networks', async (ctx) => {
        if (!conn.supports('network')) ctx.skip();
        for (const net of await conn.listAllNetworks()) {
          expect((await conn.lookupNetworkByName(net.getName())).getUUIDString()).toBe(net.getUUIDString());
          expect(parseXml(await net.getXmlDesc()).name).toBe('network');
        }
        await expectVirError(conn.lookupNetworkByName(uniqueName('nonet')), ErrorCode.NO_NETWORK);
      });

      it('defines, starts, stops and undefines a network, with events', async (ctx) => {
        if (!opts.networkXml || !conn.supports('network.defineNetwork') || !conn.supports('network.startNetwork'))
          ctx.skip();
        const name = uniqueName('net');
        const seen: number[] = [];
        const off = conn.supports('events')
          ? conn.on('network-lifecycle', (e) => {
              if (e.network.getName() === name) seen.push(e.event);
            })
          : () => {};
        const net = await conn.defineNetworkXml(opts.networkXml!(name));
        expect(await net.isActive()).toBe(false);
        await net.create();
        expect(await net.isActive()).toBe(true);
        await net.destroy();
        await net.undefine();
        await expectVirError(conn.lookupNetworkByName(name), ErrorCode.NO_NETWORK);
        await new Promise((r) => setTimeout(r, 50));
        off();
        if (conn.supports('events')) {
          expect(seen).toEqual([
            NetworkEventType.DEFINED,
            NetworkEventType.STARTED,
            NetworkEventType.STOPPED,
            NetworkEventType.UNDEFINED,
          ]);
        }
      });
    });

    hostStatsConformance(() => conn, opts.domainXml, uniqueName('stats'));

    describe('storage', () => {
      it('lists pools with their info and volumes', async (ctx) => {
        if (!conn.supports('storage')) ctx.skip();
        for (const pool of await conn.listAllStoragePools()) {
          const info = await pool.getInfo();
          expect(info.capacity).toBeGreaterThanOrEqual(info.allocation);
          expect(parseXml(await pool.getXmlDesc()).name).toBe('pool');
          if (await pool.isActive()) {
            for (const vol of await pool.listAllVolumes()) {
              expect((await conn.lookupStorageVolByKey(vol.getKey())).getName()).toBe(vol.getName());
            }
          }
        }
        await expectVirError(conn.lookupStoragePoolByName(uniqueName('nopool')), ErrorCode.NO_STORAGE_POOL);
      });

      it('creates and deletes a volume', async (ctx) => {
        if (!opts.volumeXml || !opts.poolName || !conn.supports('storage.createVolume')) ctx.skip();
        const pool = await conn.lookupStoragePoolByName(opts.poolName!);
        const name = uniqueName('vol');
        const vol = await pool.createVolumeXml(opts.volumeXml!(name));
        expect(vol.getName()).toBe(name);
        expect((await pool.lookupVolumeByName(name)).getKey()).toBe(vol.getKey());
        expect((await conn.lookupStorageVolByPath(await vol.getPath())).getName()).toBe(name);
        await vol.delete();
        await expectVirError(pool.lookupVolumeByName(name), ErrorCode.NO_STORAGE_VOL);
      });
    });
  });
}
