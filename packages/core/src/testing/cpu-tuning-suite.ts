/**
 * Conformance of the optional cpuTuning group (vCPU info and counts, pinning, the scheduler):
 * properties every driver that has it must show, whatever its hypervisor.
 */
import { expect, it } from 'vitest';
import type { Connection } from '../api/connection.js';
import { cpumapLength, cpumapOf, cpusOfCpumap } from '../api/cpumap.js';
import type { Domain } from '../api/domain.js';
import { VcpuFlags } from '../contract/cpu-tuning.js';
import { AffectFlags, DomainXmlFlags } from '../contract/flags.js';
import { ErrorCode } from '../errors/codes.js';
import { isVirError } from '../errors/vir-error.js';
import { expectVirError } from './expect-error.js';

/**
 * The group's first answer; undefined when the connection declares the group but the other end
 * lacks it (a remote client cannot know what the daemon's driver has).
 */
async function firstAnswer<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (isVirError(e) && e.code === ErrorCode.NO_SUPPORT) return undefined;
    throw e;
  }
}

/** Register the group's tests; `conn()` is the suite's read-write connection. */
export function cpuTuningConformance(
  conn: () => Connection,
  opts: {
    open(options: { readOnly: boolean }): Promise<Connection>;
    domainXml(name: string): string;
    uniqueName(prefix: string): string;
  },
): void {
  const withDefined = async (ctx: { skip(): void }, fn: (dom: Domain) => Promise<void>) => {
    const c = conn();
    if (!c.supports('domain.cpuTuning') || !c.supports('domain.lifecycle.defineXml')) ctx.skip();
    const dom = await c.defineDomainXml(opts.domainXml(opts.uniqueName('cpu')));
    try {
      await fn(dom);
    } finally {
      await dom.undefine().catch(() => {});
    }
  };

  it('cpuTuning: counts, pin info and emulator pinning of a persistent definition', (ctx) =>
    withDefined(ctx, async (dom) => {
      const max = await firstAnswer(dom.getVcpusFlags(AffectFlags.CONFIG | VcpuFlags.MAXIMUM));
      if (max === undefined) return ctx.skip();
      expect(max).toBeGreaterThan(0);
      const current = await dom.getVcpusFlags(AffectFlags.CONFIG);
      expect(current).toBeGreaterThan(0);
      expect(current).toBeLessThanOrEqual(max);
      const maplen = cpumapLength(8);
      const maps = await dom.getVcpuPinInfo(max, maplen, AffectFlags.CONFIG);
      expect(maps).toHaveLength(max);
      for (const m of maps) expect(m).toHaveLength(maplen);
      // Pinning the emulator of the definition is seen in its pin info and in its XML.
      await dom.pinEmulator(cpumapOf([0], maplen), AffectFlags.CONFIG);
      expect(cpusOfCpumap(await dom.getEmulatorPinInfo(maplen, AffectFlags.CONFIG))).toEqual([0]);
      expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).toContain("<emulatorpin cpuset='0'/>");
      // A live view of a shut-off domain does not exist.
      await expectVirError(dom.getEmulatorPinInfo(maplen, AffectFlags.LIVE), ErrorCode.OPERATION_INVALID);
    }));

  it('cpuTuning: the scheduler names its parameters', (ctx) =>
    withDefined(ctx, async (dom) => {
      const type = await firstAnswer(dom.getSchedulerType());
      if (type === undefined) return ctx.skip();
      expect(type.type).toMatch(/\S/);
      if (type.nparams > 0) {
        const params = await dom.getSchedulerParameters();
        expect(params.length).toBeLessThanOrEqual(type.nparams);
        for (const p of params) expect(p.field).toMatch(/\S/);
      }
    }));

  it('cpuTuning: read-only connections may read pins but not pin', async (ctx) => {
    if (!conn().supports('domain.cpuTuning')) ctx.skip();
    const ro = await opts.open({ readOnly: true });
    try {
      const dom = (await ro.listAllDomains())[0];
      if (!dom) return ctx.skip();
      await expectVirError(dom.pinEmulator(cpumapOf([0], 1)), ErrorCode.OPERATION_DENIED);
      await expectVirError(dom.pinVcpu(0, cpumapOf([0], 1)), ErrorCode.OPERATION_DENIED);
    } finally {
      await ro.close();
    }
  });
}
