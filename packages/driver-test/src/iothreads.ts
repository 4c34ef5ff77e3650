/**
 * IOThreads as libvirt's test driver keeps them: ids in the definition's <iothreadids>, pins in
 * its <cputune>. Unpinned threads may run on every CPU of the real host, as in libvirt.
 */
import { availableParallelism } from 'node:os';
import {
  AffectFlags,
  type CpuTune,
  cpumapOf,
  cpusOfCpumap,
  type DomainDef,
  type DomainIOThreads,
  type DomainRef,
  ErrorCode,
  ErrorDomain,
  formatCpuList,
  type IOThreadInfo,
  parseCpuList,
  type TypedParameter,
  VirError,
} from '@tsvirt/core';
import { checkFlags, testError } from './errors.js';
import type { TestState } from './state.js';
import { oneTargetOf, targetsOf } from './tuning.js';
import { validateTypedParams } from './typed-param-check.js';

const AFFECT = AffectFlags.LIVE | AffectFlags.CONFIG;

/** libvirt's generic domain-config checks report from VIR_FROM_DOMAIN. */
const configError = (detail: string): VirError =>
  new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, detail });

const emptyTune = (): CpuTune => ({
  vcpupins: [],
  iothreadpins: [],
  vcpuscheds: [],
  iothreadscheds: [],
  cachetunes: [],
  memorytunes: [],
});

type Target = { def: DomainDef; set(def: DomainDef): void };

/** The definitions a change applies to: the live one, the persistent one, or both. */
function targets(state: TestState, ref: DomainRef, flags: number): Target[] {
  const { live, config } = targetsOf(state.domains.find(ref), flags);
  return [live, config].filter((t): t is Target => t !== undefined);
}

export class TestIOThreads implements DomainIOThreads {
  constructor(private readonly state: TestState) {}

  async getIOThreadInfo(ref: DomainRef, flags: number): Promise<IOThreadInfo[]> {
    checkFlags(flags, AFFECT, 'testDomainGetIOThreadInfo');
    const { def } = oneTargetOf(this.state.domains.find(ref), flags);
    const hostCpus = availableParallelism();
    const maplen = Math.ceil(hostCpus / 8);
    const fallback = def.vcpu.cpuset ? parseCpuList(def.vcpu.cpuset) : Array.from({ length: hostCpus }, (_, i) => i);
    return (def.iothreadids ?? []).map(({ id }) => {
      const pin = def.cputune?.iothreadpins.find((p) => p.iothread === id);
      return { iothreadId: id, cpumap: cpumapOf(pin ? parseCpuList(pin.cpuset) : fallback, maplen) };
    });
  }

  async pinIOThread(ref: DomainRef, iothreadId: number, cpumap: Uint8Array, flags: number): Promise<void> {
    checkFlags(flags, AFFECT, 'testDomainPinIOThread');
    for (const t of targets(this.state, ref, flags)) {
      if (!t.def.iothreadids?.some((x) => x.id === iothreadId)) {
        throw testError(ErrorCode.INVALID_ARG, `iothreadid ${iothreadId} not found`);
      }
      const cpus = cpusOfCpumap(cpumap);
      if (cpus.length === 0) throw testError(ErrorCode.INVALID_ARG, 'Empty iothread cpumap list for pinning');
      const tune = t.def.cputune ?? emptyTune();
      const pins = [...tune.iothreadpins.filter((p) => p.iothread !== iothreadId)];
      pins.push({ iothread: iothreadId, cpuset: formatCpuList(cpus) });
      pins.sort((a, b) => a.iothread - b.iothread);
      t.set({ ...t.def, cputune: { ...tune, iothreadpins: pins } });
    }
  }

  async addIOThread(ref: DomainRef, iothreadId: number, flags: number): Promise<void> {
    checkFlags(flags, AFFECT, 'testDomainAddIOThread');
    if (iothreadId === 0) throw testError(ErrorCode.INVALID_ARG, 'invalid value of 0 for iothread_id');
    // Adding and deleting change one definition only, as libvirt's test driver does.
    const all = [oneTargetOf(this.state.domains.find(ref), flags)];
    for (const t of all) {
      if (t.def.iothreadids?.some((x) => x.id === iothreadId)) {
        throw configError(`an IOThread is already using iothread_id '${iothreadId}'`);
      }
    }
    for (const t of all) {
      const ids = [...(t.def.iothreadids ?? []).map((x) => ({ ...x, autofill: false })), { id: iothreadId }];
      t.set({ ...t.def, iothreads: ids.length, iothreadids: ids });
    }
  }

  async delIOThread(ref: DomainRef, iothreadId: number, flags: number): Promise<void> {
    checkFlags(flags, AFFECT, 'testDomainDelIOThread');
    const all = [oneTargetOf(this.state.domains.find(ref), flags)];
    for (const t of all) {
      if (!t.def.iothreadids?.some((x) => x.id === iothreadId)) {
        throw configError(`cannot find IOThread '${iothreadId}' in iothreadids list`);
      }
    }
    for (const t of all) {
      const ids = (t.def.iothreadids ?? []).filter((x) => x.id !== iothreadId);
      const tune = t.def.cputune;
      const cputune = tune && { ...tune, iothreadpins: tune.iothreadpins.filter((p) => p.iothread !== iothreadId) };
      t.set({ ...t.def, iothreads: ids.length || undefined, iothreadids: ids.length ? ids : undefined, cputune });
    }
  }

  async setIOThreadParams(
    ref: DomainRef,
    _iothreadId: number,
    params: readonly TypedParameter[],
    flags: number,
  ): Promise<void> {
    checkFlags(flags, AFFECT, 'testDomainSetIOThreadParams');
    validateTypedParams(params, {
      poll_max_ns: 'ullong',
      poll_grow: 'uint',
      poll_shrink: 'uint',
      thread_pool_min: 'int',
      thread_pool_max: 'int',
    });
    // libvirt's test driver accepts the values and keeps none of them.
    this.state.domains.find(ref);
  }
}
