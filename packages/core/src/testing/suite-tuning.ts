import { expect, it } from 'vitest';
import type { Connection } from '../api/connection.js';
import { AffectFlags, DomainXmlFlags, UndefineFlags } from '../contract/flags.js';
import { TuningParam } from '../contract/tuning.js';
import { ErrorCode } from '../errors/codes.js';
import { expectVirError } from './expect-error.js';

/**
 * The `tuning` group: the count-then-values exchange of every parameter kind, a memory limit
 * written to and read back from a defined domain's persistent definition and its XML, and the
 * read-only refusal of a change. Each check runs only when the driver has the methods.
 */
export function tuningConformance(
  conn: () => Connection,
  open: (o: { readOnly: boolean }) => Promise<Connection>,
  domainXml: (name: string) => string,
  name: () => string,
): void {
  it('answers how many parameters of each kind there are, then at most that many', async (ctx) => {
    const c = conn();
    if (!c.supports('domain.tuning') || !c.supports('domain.lifecycle.defineXml')) ctx.skip();
    const dom = await c.defineDomainXml(domainXml(name()));
    try {
      const kinds = [
        (n: number) => dom.getMemoryParameters(n, AffectFlags.CONFIG),
        (n: number) => dom.getBlkioParameters(n, AffectFlags.CONFIG),
        (n: number) => dom.getNumaParameters(n, AffectFlags.CONFIG),
      ].filter((_, i) => c.supports(`domain.tuning.get${['Memory', 'Blkio', 'Numa'][i]}Parameters`));
      for (const get of kinds) {
        const { params, nparams } = await get(0);
        expect(params).toEqual([]);
        expect(nparams).toBeGreaterThan(0);
        const all = await get(nparams);
        expect(all.params.length).toBeLessThanOrEqual(nparams);
        for (const p of all.params) expect(p.field).toMatch(/^[a-z_]+$/);
        if (nparams > 1) expect((await get(1)).params).toHaveLength(1);
      }
    } finally {
      await dom.undefine(UndefineFlags.SNAPSHOTS_METADATA);
    }
  });

  it('keeps a memory hard limit in the persistent definition, refused on read-only connections', async (ctx) => {
    const c = conn();
    if (!c.supports('domain.tuning.setMemoryParameters') || !c.supports('domain.lifecycle.defineXml')) ctx.skip();
    const domName = name();
    const dom = await c.defineDomainXml(domainXml(domName));
    try {
      const limit = { field: TuningParam.MEMORY_HARD_LIMIT, type: 'ullong' as const, value: 524288n };
      await dom.setMemoryParameters([limit], AffectFlags.CONFIG);
      const { nparams } = await dom.getMemoryParameters(0, AffectFlags.CONFIG);
      const { params } = await dom.getMemoryParameters(nparams, AffectFlags.CONFIG);
      expect(params.find((p) => p.field === TuningParam.MEMORY_HARD_LIMIT)?.value).toBe(524288n);
      expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).toMatch(/<hard_limit unit='KiB'>524288<\/hard_limit>/);
      const ro = await open({ readOnly: true });
      try {
        const roDom = await ro.lookupDomainByName(domName);
        await expectVirError(roDom.setMemoryParameters([limit], AffectFlags.CONFIG), ErrorCode.OPERATION_DENIED);
      } finally {
        await ro.close();
      }
    } finally {
      await dom.undefine(UndefineFlags.SNAPSHOTS_METADATA);
    }
  });
}
