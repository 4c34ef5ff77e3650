import { describe, expect, it } from 'vitest';
import type { Connection } from '../api/connection.js';
import { DomainStatsTypes } from '../contract/host-stats.js';
import { ErrorCode } from '../errors/codes.js';
import { expectVirError } from './expect-error.js';

/**
 * Conformance of the host-statistics and bulk-statistics groups: each check runs only when the
 * driver has the method, and then it must hold.
 */
export function hostStatsConformance(conn: () => Connection, domainXml: (name: string) => string, name: string): void {
  describe('host and bulk statistics', () => {
    it('node CPU map and CPU times are consistent', async (ctx) => {
      const c = conn();
      if (!c.supports('domain.getCPUMap') && !c.supports('domain.hostStats.getCpuStats')) ctx.skip();
      if (c.supports('domain.getCPUMap')) {
        const map = await c.getCPUMap();
        expect(map.cpus).toBeGreaterThan(0);
        expect(map.online).toBeGreaterThan(0);
        expect(map.online).toBeLessThanOrEqual(map.cpus);
        expect(map.map.byteLength).toBe(Math.ceil(map.cpus / 8));
      }
      if (c.supports('domain.hostStats.getCpuStats')) {
        const stats = await c.getCpuStats();
        expect(new Set(stats.map((s) => s.field)).size).toBe(stats.length);
        for (const s of stats) expect(s.value).toBeGreaterThanOrEqual(0n);
        await expectVirError(c.getCpuStats(-2), ErrorCode.INVALID_ARG);
      }
    });

    it('bulk statistics report the state of a listed domain', async (ctx) => {
      const c = conn();
      if (!c.supports('domain.bulkStats') || !c.supports('domain.lifecycle.defineXml')) ctx.skip();
      const dom = await c.defineDomainXml(domainXml(name));
      try {
        const state = (await dom.getState()).state;
        const records = await c.domainListGetStats([dom], DomainStatsTypes.STATE);
        expect(records.map((r) => r.domain.getName())).toEqual([name]);
        const stateParam = records[0]?.params.find((p) => p.field === 'state.state');
        expect(stateParam?.value).toBe(state);
        const all = await c.getAllDomainStats(DomainStatsTypes.STATE);
        expect(all.map((r) => r.domain.getName())).toContain(name);
        await expectVirError(c.domainListGetStats([]), ErrorCode.INVALID_ARG);
      } finally {
        await dom.undefine();
      }
    });
  });
}
