/** -cpu (model, features, Hyper-V and KVM switches) and -smp. */
import type { DomainDef, XmlElement } from '@tsvirt/core';
import type { BuildState } from './state.js';

/** libvirt's x86 feature names that QEMU spells differently (underscores become dashes too). */
const FEATURE_RENAMES: Record<string, string> = {
  cmt: 'cmt',
  pclmuldq: 'pclmulqdq',
  ds_cpl: 'ds-cpl',
  fxsr_opt: 'fxsr-opt',
  lahf_lm: 'lahf-lm',
  cr8legacy: 'cr8legacy',
};

const REMOVED_FEATURES = new Set(['osxsave', 'ospke']);

export function qemuFeatureName(name: string): string {
  return FEATURE_RENAMES[name] ?? name.replace(/_/g, '-');
}

export function buildCpu(s: BuildState): void {
  const { def } = s;
  const cpu = def.cpu;
  const parts: string[] = [];
  if (!cpu || cpu.mode === 'custom') {
    parts.push(cpu?.model?.name ?? 'qemu64');
    for (const f of cpu?.features ?? []) {
      // Features QEMU dropped (they follow the guest's CR4 instead) are not passed on.
      if (REMOVED_FEATURES.has(f.name)) continue;
      const on = f.policy !== 'disable' && f.policy !== 'forbid';
      parts.push(`${qemuFeatureName(f.name)}=${on ? 'on' : 'off'}`);
    }
  } else if (cpu.mode === 'host-passthrough') {
    parts.push('host');
    if (cpu.migratable !== undefined) parts.push(`migratable=${cpu.migratable ? 'on' : 'off'}`);
    for (const f of cpu.features) parts.push(`${qemuFeatureName(f.name)}=${f.policy === 'disable' ? 'off' : 'on'}`);
  } else if (cpu.mode === 'maximum') {
    parts.push('max');
    if (cpu.migratable !== undefined) parts.push(`migratable=${cpu.migratable ? 'on' : 'off'}`);
  } else {
    parts.push(cpu.model?.name ?? 'host');
  }
  if (cpu) cpuTuningProps(cpu, parts);
  const f = def.features ?? {};
  for (const t of def.clock?.timers ?? []) {
    if (t.name === 'kvmclock' && t.present !== undefined) parts.push(`kvmclock=${t.present ? 'on' : 'off'}`);
  }
  const eoi = f.apic?.attrs?.eoi;
  if (eoi) parts.push(`kvm-pv-eoi=${eoi}`);
  if (f.pvspinlock) parts.push(`kvm-pv-unhalt=${f.pvspinlock.on ? 'on' : 'off'}`);
  if (f.kvm?.on) {
    for (const k of f.kvm.children ?? []) {
      const on = k.attrs.state === 'on';
      if (k.name === 'hidden' && on) parts.push('kvm=off');
      if (k.name === 'hint-dedicated' && on) parts.push('kvm-hint-dedicated=on');
      if (k.name === 'poll-control' && on) parts.push('kvm-poll-control=on');
      if (k.name === 'pv-ipi' && !on) parts.push('kvm-pv-ipi=off');
    }
  }
  if (f.pmu) parts.push(`pmu=${f.pmu.on ? 'on' : 'off'}`);
  const hvclock = def.clock?.timers.find((t) => t.name === 'hypervclock');
  if (hvclock?.present) parts.push('hv-time=on');
  if (f.hyperv?.on) parts.push(...hypervProps(f.hyperv.children ?? []));
  if ((def.devices.raw.panic ?? []).some((p) => p.attrs.model === 'hyperv')) parts.push('hv-crash');
  s.add('-cpu', parts.join(','));
}

/** Cache, physical address bits and TSC frequency settings that follow the model and features. */
function cpuTuningProps(cpu: NonNullable<DomainDef['cpu']>, parts: string[]): void {
  if (cpu.cache) {
    if (cpu.cache.mode === 'passthrough') parts.push('host-cache-info=on', 'l3-cache=off');
    else if (cpu.cache.mode === 'emulate') parts.push('host-cache-info=off', 'l3-cache=on');
    else parts.push('host-cache-info=off', 'l3-cache=off');
  }
  const pa = cpu.maxphysaddr;
  if (pa?.mode === 'emulate' && pa.bits !== undefined) parts.push(`phys-bits=${pa.bits}`);
  if (pa?.mode === 'passthrough') {
    parts.push('host-phys-bits=on');
    if (pa.limit !== undefined) parts.push(`host-phys-bits-limit=${pa.limit}`);
  }
}

function hypervProps(children: readonly XmlElement[]): string[] {
  const out: string[] = [];
  for (const c of children) {
    if (c.attrs.state !== 'on') continue;
    const name = `hv-${c.name.replace(/_/g, '-')}`;
    switch (c.name) {
      case 'spinlocks':
        out.push(`${name}=0x${Number(c.attrs.retries ?? 0).toString(16)}`);
        break;
      case 'vendor_id':
        out.push(`hv-vendor-id=${c.attrs.value ?? ''}`);
        break;
      case 'tlbflush':
        out.push(`${name}=on`);
        for (const sub of c.nodes) {
          if (typeof sub === 'string' || sub.attrs.state !== 'on') continue;
          out.push(sub.name === 'direct' ? 'hv-tlbflush-direct=on' : 'hv-tlbflush-ext=on');
        }
        break;
      case 'stimer':
        out.push(`${name}=on`);
        for (const sub of c.nodes) {
          if (typeof sub !== 'string' && sub.name === 'direct' && sub.attrs.state === 'on')
            out.push('hv-stimer-direct=on');
        }
        break;
      default:
        out.push(`${name}=on`);
    }
  }
  return out;
}

export function buildSmp(s: BuildState): void {
  const { def } = s;
  const max = def.vcpu.count;
  const current = def.vcpu.current ?? max;
  // libvirt starts QEMU with the online vCPUs that cannot be unplugged and plugs the others in
  // over QMP before the guest runs; only a caller doing that second step asks for it.
  const initial =
    s.ctx.plugsHotpluggableVcpus && def.vcpus?.length
      ? def.vcpus.filter((v) => v.enabled && v.hotpluggable !== true).length
      : current;
  const parts = [String(initial)];
  if (current !== max) parts.push(`maxcpus=${max}`);
  const topo = def.cpu?.topology;
  if (topo) {
    parts.push(`sockets=${topo.sockets}`);
    if (s.has('smp-dies')) parts.push(`dies=${topo.dies}`);
    if (s.has('smp-clusters')) parts.push(`clusters=${topo.clusters}`);
    parts.push(`cores=${topo.cores}`, `threads=${topo.threads}`);
  } else {
    parts.push(`sockets=${max}`, 'cores=1', 'threads=1');
  }
  s.add('-smp', parts.join(','));
}
