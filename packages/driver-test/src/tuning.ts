import { AffectFlags, type DomainDef, DomainState, ErrorCode, ErrorDomain, hasFlag, VirError } from '@tsvirt/core';
import { checkFlags, domainInactive, testError } from './errors.js';
import { TEST_MAX_VCPUS } from './node-info.js';
import type { TestDomain } from './state.js';

/** virDomainSetMemoryFlags' VIR_DOMAIN_MEM_MAXIMUM and virDomainSetVcpusFlags' VIR_DOMAIN_VCPU_MAXIMUM. */
const MAXIMUM = 1 << 2;

/** The definitions one AFFECT_LIVE/AFFECT_CONFIG request changes, each with a way to replace it. */
interface Targets {
  live?: { def: DomainDef; set(def: DomainDef): void };
  config?: { def: DomainDef; set(def: DomainDef): void };
}

/** libvirt's choice of definitions for LIVE/CONFIG/CURRENT, refusing what the domain lacks. */
function targetsOf(d: TestDomain, flags: number): Targets {
  const active = d.state !== DomainState.SHUTOFF;
  let live = hasFlag(flags, AffectFlags.LIVE);
  let config = hasFlag(flags, AffectFlags.CONFIG);
  if (!live && !config) {
    live = active;
    config = !active;
  }
  if (live && !active) throw domainInactive();
  if (config && !d.persistent) {
    throw new VirError({
      code: ErrorCode.OPERATION_INVALID,
      domain: ErrorDomain.DOMAIN,
      detail: 'transient domains do not have any persistent config',
    });
  }
  const out: Targets = {};
  if (live)
    out.live = {
      def: d.def,
      set: (def) => {
        // The persistent definition stays as it was (libvirt keeps it apart from the live one).
        if (d.persistent && !d.newDef) d.newDef = d.def;
        d.def = def;
      },
    };
  if (config) {
    // A running persistent domain keeps its persistent definition in newDef.
    if (active)
      out.config = {
        def: d.newDef ?? d.def,
        set: (def) => {
          d.newDef = def;
        },
      };
    else
      out.config = {
        def: d.def,
        set: (def) => {
          d.def = def;
        },
      };
  }
  return out;
}

/** One definition only: LIVE and CONFIG together are refused, as virDomainObjGetOneDefState does. */
export function oneTargetOf(
  d: TestDomain,
  flags: number,
): { def: DomainDef; set(def: DomainDef): void; live: boolean } {
  if (hasFlag(flags, AffectFlags.LIVE) && hasFlag(flags, AffectFlags.CONFIG)) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.DOMAIN,
      message: "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive",
    });
  }
  const { live, config } = targetsOf(d, flags);
  if (live) return { ...live, live: true };
  if (config) return { ...config, live: false };
  throw new Error('unreachable: no definition chosen');
}

/** virDomainSetMemoryFlags on the test driver: balloon size, or with MAXIMUM the <memory> of an inactive definition. */
export function setMemory(d: TestDomain, kib: number, flags: number): void {
  checkFlags(flags, AffectFlags.LIVE | AffectFlags.CONFIG | MAXIMUM, 'testDomainSetMemoryFlags');
  const target = oneTargetOf(d, flags);
  const def = target.def;
  if (hasFlag(flags, MAXIMUM)) {
    if (target.live) {
      throw testError(ErrorCode.OPERATION_INVALID, 'cannot resize the maximum memory on an active domain');
    }
    if ((def.cpu?.numa?.length ?? 0) > 0) {
      throw testError(
        ErrorCode.OPERATION_INVALID,
        'initial memory size of a domain with NUMA nodes cannot be modified with this API',
      );
    }
    if (def.maxMemory?.size && def.maxMemory.size < kib) {
      throw testError(
        ErrorCode.OPERATION_INVALID,
        'cannot set initial memory size greater than the maximum memory size',
      );
    }
    // The balloon shrinks with the maximum; it never grows by itself.
    target.set({ ...def, memory: kib, currentMemory: Math.min(def.currentMemory, kib) });
    return;
  }
  if (kib > def.memory) throw testError(ErrorCode.INVALID_ARG, 'cannot set memory higher than max memory');
  target.set({ ...def, currentMemory: kib });
}

/** The definition with `count` vCPUs online (count must not exceed the maximum). */
function withOnlineVcpus(def: DomainDef, count: number): DomainDef {
  const vcpu = { ...def.vcpu, current: count === def.vcpu.count ? undefined : count };
  const vcpus = def.vcpus?.map((v, i) => ({ ...v, enabled: i < count }));
  return { ...def, vcpu, ...(vcpus ? { vcpus } : {}) };
}

/** The definition with a new maximum: vCPUs beyond it go, added ones start offline. */
function withMaxVcpus(def: DomainDef, max: number): DomainDef {
  const online = Math.min(def.vcpu.current ?? def.vcpu.count, max);
  const vcpu = { ...def.vcpu, count: max, current: online === max ? undefined : online };
  let vcpus = def.vcpus;
  if (vcpus) {
    vcpus = vcpus.slice(0, max);
    for (let id = vcpus.length; id < max; id++) vcpus.push({ id, enabled: false });
  }
  return { ...def, vcpu, ...(vcpus ? { vcpus } : {}) };
}

const exceedsMax = (n: number, max: number): VirError =>
  testError(ErrorCode.INVALID_ARG, `requested cpu amount exceeds maximum (${n} > ${max})`);

/** virDomainSetVcpusFlags on the test driver: online vCPUs of the live and/or persistent definition, or its maximum. */
export function setVcpus(d: TestDomain, count: number, flags: number): void {
  checkFlags(flags, AffectFlags.LIVE | AffectFlags.CONFIG | MAXIMUM, 'testDomainSetVcpusFlags');
  if (count > TEST_MAX_VCPUS) {
    throw testError(
      ErrorCode.INVALID_ARG,
      `requested cpu amount exceeds maximum supported amount (${count} > ${TEST_MAX_VCPUS})`,
    );
  }
  const { live, config } = targetsOf(d, flags);
  const maximum = hasFlag(flags, MAXIMUM);
  if (live && live.def.vcpu.count < count) throw exceedsMax(count, live.def.vcpu.count);
  if (config && !maximum && config.def.vcpu.count < count) throw exceedsMax(count, config.def.vcpu.count);
  if (live) live.set(withOnlineVcpus(live.def, count));
  if (config) config.set(maximum ? withMaxVcpus(config.def, count) : withOnlineVcpus(config.def, count));
}
