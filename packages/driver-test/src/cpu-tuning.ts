/**
 * vCPU information, pinning and the scheduler as libvirt's test driver answers them: pins live in
 * the definition's <cputune>, vCPU times come from the wall clock, and the one "fair" scheduler
 * parameter is a constant weight that setting does not change.
 */
import {
  AffectFlags,
  type CpuTune,
  cpumapOf,
  cpusOfCpumap,
  type DomainCpuTuning,
  type DomainDef,
  type DomainRef,
  DomainState,
  type DomainVcpuList,
  ErrorCode,
  formatCpuList,
  hasFlag,
  type NodeCpuMap,
  parseCpuList,
  type SchedulerType,
  type TypedParameter,
  VcpuFlags,
  type VcpuInfo,
  VcpuRunState,
} from '@tsvirt/core';
import { checkFlags, testError } from './errors.js';
import type { TestDomain, TestState } from './state.js';
import { oneTargetOf } from './tuning.js';
import { validateTypedParams } from './typed-param-check.js';

/** The CPUs libvirt's test driver reports for the host in virNodeGetCPUMap: 8, with 0, 2 and 4 online. */
const NODE_CPU_COUNT = 8;
const NODE_ONLINE_CPUS = [0, 2, 4];

/** Whether vCPU `id` is online in `def`. */
function isOnline(def: DomainDef, id: number): boolean {
  if (id >= def.vcpu.count) return false;
  if (def.vcpus) return def.vcpus[id]?.enabled ?? false;
  return id < (def.vcpu.current ?? def.vcpu.count);
}

const emptyTune = (): CpuTune => ({
  vcpupins: [],
  iothreadpins: [],
  vcpuscheds: [],
  iothreadscheds: [],
  cachetunes: [],
  memorytunes: [],
});

/** The definition with its <cputune> changed by `change` (definitions are never changed in place). */
function withTune(def: DomainDef, change: (t: CpuTune) => CpuTune): DomainDef {
  return { ...def, cputune: change(def.cputune ?? emptyTune()) };
}

export class TestCpuTuning implements DomainCpuTuning {
  constructor(private readonly state: TestState) {}

  private find(ref: DomainRef): TestDomain {
    return this.state.domains.find(ref);
  }

  /** VIR_NODEINFO_MAXCPUS: every CPU of the node info's topology. */
  private hostCpus(): number[] {
    const n = this.state.nodeInfo;
    const count = n.nodes * n.sockets * n.cores * n.threads;
    return Array.from({ length: count }, (_, i) => i);
  }

  /** A vCPU's CPUs: its own pin, else the <vcpu cpuset>, else every host CPU. */
  private vcpuAffinity(def: DomainDef, id: number): number[] {
    const pin = def.cputune?.vcpupins.find((p) => p.vcpu === id);
    if (pin) return pin.cpuset === '' ? [] : parseCpuList(pin.cpuset);
    if (def.vcpu.cpuset) return parseCpuList(def.vcpu.cpuset);
    return this.hostCpus();
  }

  async getCPUMap(flags: number): Promise<NodeCpuMap> {
    checkFlags(flags, 0, 'testNodeGetCPUMap');
    return { cpus: NODE_CPU_COUNT, online: NODE_ONLINE_CPUS.length, map: cpumapOf(NODE_ONLINE_CPUS, 1) };
  }

  async getVcpus(ref: DomainRef, maxinfo: number, maplen: number): Promise<DomainVcpuList> {
    const d = this.find(ref);
    if (d.state === DomainState.SHUTOFF) {
      throw testError(ErrorCode.OPERATION_INVALID, 'cannot list vcpus for an inactive domain');
    }
    const def = d.def;
    const count = Math.min(maxinfo, def.vcpu.current ?? def.vcpu.count);
    // libvirt's test driver fakes CPU time from the wall clock's microseconds, divided by ten.
    const cpuTime = BigInt(Date.now()) * 100n;
    const info: VcpuInfo[] = [];
    const cpumaps: Uint8Array[] = [];
    for (let id = 0; id < count; id++) {
      if (!isOnline(def, id)) {
        info.push({ number: 0, state: VcpuRunState.OFFLINE, cpuTime: 0n, cpu: 0 });
        cpumaps.push(new Uint8Array(maplen));
        continue;
      }
      const cpus = this.vcpuAffinity(def, id);
      info.push({ number: id, state: VcpuRunState.RUNNING, cpuTime, cpu: cpus.at(-1) ?? -1 });
      cpumaps.push(cpumapOf(cpus, maplen));
    }
    return { info, cpumaps };
  }

  async getVcpusFlags(ref: DomainRef, flags: number): Promise<number> {
    checkFlags(flags, AffectFlags.LIVE | AffectFlags.CONFIG | VcpuFlags.MAXIMUM, 'testDomainGetVcpusFlags');
    const { def } = oneTargetOf(this.find(ref), flags);
    return hasFlag(flags, VcpuFlags.MAXIMUM) ? def.vcpu.count : (def.vcpu.current ?? def.vcpu.count);
  }

  async pinVcpu(ref: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testDomainPinVcpuFlags');
    const d = this.find(ref);
    if (d.state === DomainState.SHUTOFF) {
      throw testError(ErrorCode.OPERATION_INVALID, 'cannot pin vcpus on an inactive domain');
    }
    if (!isOnline(d.def, vcpu)) {
      throw testError(ErrorCode.INVALID_ARG, `requested vcpu '${vcpu}' is not present in the domain`);
    }
    const cpuset = formatCpuList(cpusOfCpumap(cpumap));
    // Only the live definition changes: keep the persistent one apart first.
    if (d.persistent && !d.newDef) d.newDef = d.def;
    d.def = withTune(d.def, (t) => ({
      ...t,
      vcpupins: [...t.vcpupins.filter((p) => p.vcpu !== vcpu), { vcpu, cpuset }].sort((a, b) => a.vcpu - b.vcpu),
    }));
  }

  async getVcpuPinInfo(ref: DomainRef, ncpumaps: number, maplen: number, flags: number): Promise<Uint8Array[]> {
    const { def } = oneTargetOf(this.find(ref), flags);
    const count = Math.min(ncpumaps, def.vcpu.count);
    return Array.from({ length: count }, (_, id) => cpumapOf(this.vcpuAffinity(def, id), maplen));
  }

  async pinEmulator(ref: DomainRef, cpumap: Uint8Array, flags: number): Promise<void> {
    checkFlags(flags, AffectFlags.LIVE | AffectFlags.CONFIG, 'testDomainPinEmulator');
    const target = oneTargetOf(this.find(ref), flags);
    const cpus = cpusOfCpumap(cpumap);
    if (cpus.length === 0) throw testError(ErrorCode.INVALID_ARG, 'Empty cpu list for pinning');
    target.set(withTune(target.def, (t) => ({ ...t, emulatorpin: formatCpuList(cpus) })));
  }

  async getEmulatorPinInfo(ref: DomainRef, maplen: number, flags: number): Promise<Uint8Array> {
    checkFlags(flags, AffectFlags.LIVE | AffectFlags.CONFIG, 'testDomainGetEmulatorPinInfo');
    const { def } = oneTargetOf(this.find(ref), flags);
    const pinned = def.cputune?.emulatorpin ?? def.vcpu.cpuset;
    return cpumapOf(pinned ? parseCpuList(pinned) : this.hostCpus(), maplen);
  }

  /** libvirt's test driver answers without looking at the domain. */
  async getSchedulerType(_ref: DomainRef): Promise<SchedulerType> {
    return { type: 'fair', nparams: 1 };
  }

  async getSchedulerParameters(ref: DomainRef, flags: number | undefined): Promise<TypedParameter[]> {
    checkFlags(flags ?? 0, 0, 'testDomainGetSchedulerParametersFlags');
    this.find(ref);
    return [{ field: 'weight', type: 'uint', value: 50 }];
  }

  async setSchedulerParameters(
    ref: DomainRef,
    params: readonly TypedParameter[],
    flags: number | undefined,
  ): Promise<void> {
    checkFlags(flags ?? 0, 0, 'testDomainSetSchedulerParametersFlags');
    validateTypedParams(params, { weight: 'uint' });
    // The weight is accepted and forgotten: the test driver always reports 50.
    this.find(ref);
  }
}
