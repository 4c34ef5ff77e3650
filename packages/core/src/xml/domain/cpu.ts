/** <cpu>: guest CPU model, topology, cache, features and the guest NUMA cells. */

import { a, onoff, type XmlWriter, yn } from '../writer.js';
import type { ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { canonicalBitmap } from './util/bitmap.js';
import { xmlError } from './util/errors.js';
import {
  children,
  childString,
  enumAttr,
  firstChild,
  onOffAttr,
  requiredAttr,
  textOf,
  uintAttr,
  type XmlElement,
  yesNoAttr,
} from './util/parse.js';
import { scaledKiB } from './util/units.js';

export const CPU_MODES = ['custom', 'host-model', 'host-passthrough', 'maximum'] as const;
export type CpuMode = (typeof CPU_MODES)[number];
export const CPU_MATCHES = ['minimum', 'exact', 'strict'] as const;
export const CPU_CHECKS = ['none', 'partial', 'full'] as const;
export const CPU_FALLBACKS = ['allow', 'forbid'] as const;
export const CPU_FEATURE_POLICIES = ['force', 'require', 'optional', 'disable', 'forbid'] as const;
export const CPU_CACHE_MODES = ['emulate', 'passthrough', 'disable'] as const;
export const MAXPHYSADDR_MODES = ['emulate', 'passthrough'] as const;
export const MEM_ACCESS = ['shared', 'private'] as const;

export interface NumaCell {
  id: number;
  cpus?: string;
  /** KiB. */
  memory: number;
  memAccess?: (typeof MEM_ACCESS)[number];
  discard?: boolean;
  distances?: Array<{ id: number; value: number }>;
}

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
  if (numa) cpu.numa = parseNumaCells(numa);
  def.cpu = cpu;
}

function parseNumaCells(numa: XmlElement): NumaCell[] {
  const cells = children(numa, 'cell');
  const out: NumaCell[] = [];
  cells.forEach((c, i) => {
    const id = uintAttr(c, 'id') ?? i;
    if (id >= cells.length)
      throw xmlError(
        "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
      );
    if (out.some((x) => x.id === id)) throw xmlError(`Duplicate NUMA cell info for cell id '${id}'`);
    const mem = requiredAttr(c, 'memory');
    const cell: NumaCell = {
      id,
      cpus: canonicalBitmap(c.attrs.cpus, 'cpus'),
      memory: scaledKiB(mem, c.attrs.unit, './@memory'),
      memAccess: enumAttr(c, 'memAccess', MEM_ACCESS),
      discard: yesNoAttr(c, 'discard'),
    };
    const dist = firstChild(c, 'distances');
    if (dist) {
      cell.distances = children(dist, 'sibling').map((s) => ({
        id: uintAttr(s, 'id') ?? 0,
        value: uintAttr(s, 'value') ?? 0,
      }));
    }
    out.push(cell);
  });
  return out.sort((x, y) => x.id - y.id);
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
  if (cpu.numa?.length) {
    w.open('numa');
    for (const c of cpu.numa) {
      const cattrs =
        a('id', c.id) +
        a('cpus', c.cpus) +
        a('memory', c.memory) +
        " unit='KiB'" +
        a('memAccess', c.memAccess) +
        yn('discard', c.discard);
      if (c.distances?.length) {
        w.open('cell', cattrs);
        w.open('distances');
        for (const s of c.distances) w.empty('sibling', a('id', s.id) + a('value', s.value));
        w.close('distances');
        w.close('cell');
      } else {
        w.empty('cell', cattrs);
      }
    }
    w.close('numa');
  }
  w.endMaybe(mark, 'cpu', attrs, cpu.mode !== 'custom');
}
