/** <cpu>: guest CPU model, topology, cache, features and the guest NUMA cells. */

import { a, onoff, type XmlWriter } from '../writer.js';
import type { ParseContext } from './context.js';
import { formatNuma, type NumaCell, type NumaInterconnect, parseNuma } from './numa.js';
import type { DomainDef } from './types.js';
import { xmlError } from './util/errors.js';
import {
  children,
  childString,
  enumAttr,
  firstChild,
  onOffAttr,
  textOf,
  uintAttr,
  type XmlElement,
} from './util/parse.js';

export const CPU_MODES = ['custom', 'host-model', 'host-passthrough', 'maximum'] as const;
export type CpuMode = (typeof CPU_MODES)[number];
export const CPU_MATCHES = ['minimum', 'exact', 'strict'] as const;
export const CPU_CHECKS = ['none', 'partial', 'full'] as const;
export const CPU_FALLBACKS = ['allow', 'forbid'] as const;
export const CPU_FEATURE_POLICIES = ['force', 'require', 'optional', 'disable', 'forbid'] as const;
export const CPU_CACHE_MODES = ['emulate', 'passthrough', 'disable'] as const;
export const MAXPHYSADDR_MODES = ['emulate', 'passthrough'] as const;

export interface CpuDef {
  mode: CpuMode;
  match?: (typeof CPU_MATCHES)[number];
  check?: (typeof CPU_CHECKS)[number];
  migratable?: boolean;
  deprecatedFeatures?: boolean;
  model?: { name?: string; fallback?: (typeof CPU_FALLBACKS)[number]; vendorId?: string };
  vendor?: string;
  topology?: { sockets: number; dies: number; clusters: number; cores: number; threads: number };
  cache?: { level?: number; mode: (typeof CPU_CACHE_MODES)[number] };
  maxphysaddr?: { mode: (typeof MAXPHYSADDR_MODES)[number]; bits?: number; limit?: number };
  features: Array<{ name: string; policy?: (typeof CPU_FEATURE_POLICIES)[number] }>;
  numa?: NumaCell[];
  /** HMAT latencies and bandwidths between the cells. */
  numaInterconnects?: NumaInterconnect[];
}

export function parseCpu(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const el = firstChild(root, 'cpu');
  if (!el) return;
  const cpu: CpuDef = { mode: enumAttr(el, 'mode', CPU_MODES) ?? 'custom', features: [] };
  cpu.check = enumAttr(el, 'check', CPU_CHECKS);
  cpu.migratable = onOffAttr(el, 'migratable');
  cpu.deprecatedFeatures = onOffAttr(el, 'deprecated_features');
  const modelEl = firstChild(el, 'model');
  if (modelEl) {
    const name = textOf(modelEl).trim();
    cpu.model = {
      name: name === '' ? undefined : name,
      fallback: enumAttr(modelEl, 'fallback', CPU_FALLBACKS),
      vendorId: modelEl.attrs.vendor_id,
    };
    if (cpu.model.vendorId !== undefined && cpu.model.vendorId.length !== 12) {
      throw xmlError(`vendor_id must be exactly 12 characters long`);
    }
  }
  if (cpu.mode === 'custom' && cpu.model?.name) {
    cpu.match = enumAttr(el, 'match', CPU_MATCHES) ?? 'exact';
    cpu.model.fallback ??= 'allow';
  }
  cpu.vendor = childString(el, 'vendor');
  if (cpu.vendor !== undefined && !cpu.model?.name) throw xmlError('CPU vendor specified without CPU model');
  const topo = firstChild(el, 'topology');
  if (topo) {
    const num = (n: string, dflt?: number) => {
      const v = uintAttr(topo, n) ?? dflt;
      if (v === undefined || v === 0) throw xmlError(`Invalid '${n}' value in CPU topology`);
      return v;
    };
    cpu.topology = {
      sockets: num('sockets'),
      dies: num('dies', 1),
      clusters: num('clusters', 1),
      cores: num('cores'),
      threads: num('threads'),
    };
  }
  const cache = firstChild(el, 'cache');
  if (cache) {
    const mode = enumAttr(cache, 'mode', CPU_CACHE_MODES);
    if (!mode) throw xmlError('missing CPU cache mode');
    cpu.cache = { level: uintAttr(cache, 'level'), mode };
  }
  const mpa = firstChild(el, 'maxphysaddr');
  if (mpa) {
    const mode = enumAttr(mpa, 'mode', MAXPHYSADDR_MODES);
    if (!mode) throw xmlError("Missing required attribute 'mode' in element 'maxphysaddr'");
    cpu.maxphysaddr = { mode, bits: uintAttr(mpa, 'bits'), limit: uintAttr(mpa, 'limit') };
  }
  for (const f of children(el, 'feature')) {
    const name = f.attrs.name;
    if (!name) throw xmlError('invalid CPU feature name');
    if (cpu.features.some((x) => x.name === name)) throw xmlError(`CPU feature '${name}' specified more than once`);
    cpu.features.push({ name, policy: enumAttr(f, 'policy', CPU_FEATURE_POLICIES) ?? 'require' });
  }
  const numa = firstChild(el, 'numa');
  if (numa) {
    const parsed = parseNuma(numa);
    cpu.numa = parsed.cells;
    if (parsed.interconnects.length) cpu.numaInterconnects = parsed.interconnects;
  }
  def.cpu = cpu;
}

export function formatCpu(w: XmlWriter, def: DomainDef): void {
  const cpu = def.cpu;
  if (!cpu) return;
  const hasModel = !!cpu.model?.name;
  let attrs = '';
  if (cpu.mode !== 'custom' || hasModel) attrs += a('mode', cpu.mode);
  if (cpu.mode === 'custom' && hasModel) attrs += a('match', cpu.match ?? 'exact');
  attrs +=
    a('check', cpu.check) + onoff('migratable', cpu.migratable) + onoff('deprecated_features', cpu.deprecatedFeatures);
  const mark = w.openMaybe('cpu', attrs);
  if (cpu.model && (cpu.model.name || cpu.model.vendorId || cpu.model.fallback)) {
    const mattrs =
      a('fallback', cpu.mode === 'custom' || cpu.model.name ? cpu.model.fallback : undefined) +
      a('vendor_id', cpu.model.vendorId);
    if (cpu.model.name) w.text('model', cpu.model.name, mattrs);
    else if (mattrs) w.empty('model', mattrs);
  }
  if (cpu.vendor !== undefined) w.text('vendor', cpu.vendor);
  const t = cpu.topology;
  if (t) {
    w.empty(
      'topology',
      a('sockets', t.sockets) +
        a('dies', t.dies) +
        a('clusters', t.clusters) +
        a('cores', t.cores) +
        a('threads', t.threads),
    );
  }
  if (cpu.cache) w.empty('cache', a('level', cpu.cache.level) + a('mode', cpu.cache.mode));
  if (cpu.maxphysaddr) {
    const m = cpu.maxphysaddr;
    w.empty('maxphysaddr', a('mode', m.mode) + a('bits', m.bits) + a('limit', m.limit));
  }
  for (const f of cpu.features) w.empty('feature', a('policy', f.policy) + a('name', f.name));
  if (cpu.numa?.length) formatNuma(w, cpu.numa, cpu.numaInterconnects ?? []);
  w.endMaybe(mark, 'cpu', attrs, cpu.mode !== 'custom');
}
