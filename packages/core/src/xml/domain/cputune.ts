/**
 * <cputune>: CPU shares/bandwidth, pinning, scheduler policies, and resctrl cache and memory
 * bandwidth allocations (<cachetune>, <memorytune>).
 */

import { a, type XmlWriter } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { bitmapEquals, bitmapOverlaps, bitmapSubset, formatBitmap, parseBitmap } from './util/bitmap.js';
import { unsupported, xmlDetail, xmlError } from './util/errors.js';
import {
  children,
  enumAttr,
  firstChild,
  intAttr,
  isUint,
  requiredAttr,
  textOf,
  uintAttr,
  type XmlElement,
} from './util/parse.js';
import { prettyBytes, scaledBytes } from './util/units.js';

export const SCHED_POLICIES = ['batch', 'idle', 'fifo', 'rr'] as const;
export type SchedPolicy = (typeof SCHED_POLICIES)[number];
export const CACHE_TYPES = ['both', 'code', 'data'] as const;
export type CacheType = (typeof CACHE_TYPES)[number];

export interface Sched {
  /** vcpus= or iothreads= set, canonical form. */
  ids: string;
  scheduler: SchedPolicy;
  priority?: number;
}

export interface CacheAlloc {
  id: number;
  level: number;
  type: CacheType;
  /** Bytes. */
  size: number;
}

export interface CacheTune {
  vcpus: string;
  /** Resctrl group name; live only. */
  id?: string;
  caches: CacheAlloc[];
  monitors: Array<{ level: number; vcpus: string }>;
}

export interface MemoryTune {
  vcpus: string;
  id?: string;
  nodes: Array<{ id: number; bandwidth: number }>;
  monitors: Array<{ vcpus: string }>;
}

export interface CpuTune {
  shares?: number;
  period?: number;
  quota?: number;
  globalPeriod?: number;
  globalQuota?: number;
  emulatorPeriod?: number;
  emulatorQuota?: number;
  iothreadPeriod?: number;
  iothreadQuota?: number;
  vcpupins: Array<{ vcpu: number; cpuset: string }>;
  emulatorpin?: string;
  iothreadpins: Array<{ iothread: number; cpuset: string }>;
  vcpuscheds: Sched[];
  emulatorsched?: { scheduler: SchedPolicy; priority?: number };
  iothreadscheds: Sched[];
  cachetunes: CacheTune[];
  memorytunes: MemoryTune[];
}

const SIGNED = /^[-+]?[0-9]+$/;

function numberChild(el: XmlElement, name: string, signed: boolean): number | undefined {
  const c = firstChild(el, name);
  if (!c) return undefined;
  const t = textOf(c).trim();
  const ok = signed ? SIGNED.test(t) : isUint(t);
  if (!ok) throw xmlError(`invalid value for cputune ${name}`);
  return Number(t);
}

function cpuset(el: XmlElement, what: string): string {
  const v = el.attrs.cpuset;
  if (v === undefined) throw xmlError(`missing cpuset for ${what}`);
  const bits = parseBitmap(v);
  if (bits.length === 0) throw unsupported(`Invalid value of 'cpuset': ${v}`);
  return formatBitmap(bits);
}

/** A vcpus= set limited to the vCPUs that exist; undefined when none is left. */
function vcpuSet(el: XmlElement, maxVcpus: number): number[] | undefined {
  const text = el.attrs.vcpus;
  if (text === undefined) throw xmlError(`Missing attribute vcpus for ${el.name}`);
  const bits = parseBitmap(text).filter((b) => b < maxVcpus);
  return bits.length === 0 ? undefined : bits;
}

export function parseCputune(root: XmlElement, def: DomainDef, ctx: ParseContext): void {
  const el = firstChild(root, 'cputune');
  if (!el) return;
  const t: CpuTune = {
    vcpupins: [],
    iothreadpins: [],
    vcpuscheds: [],
    iothreadscheds: [],
    cachetunes: [],
    memorytunes: [],
  };
  t.shares = numberChild(el, 'shares', false);
  t.period = numberChild(el, 'period', false);
  t.quota = numberChild(el, 'quota', true);
  t.globalPeriod = numberChild(el, 'global_period', false);
  t.globalQuota = numberChild(el, 'global_quota', true);
  t.emulatorPeriod = numberChild(el, 'emulator_period', false);
  t.emulatorQuota = numberChild(el, 'emulator_quota', true);
  t.iothreadPeriod = numberChild(el, 'iothread_period', false);
  t.iothreadQuota = numberChild(el, 'iothread_quota', true);

  for (const pin of children(el, 'vcpupin')) {
    const vcpuText = pin.attrs.vcpu;
    if (vcpuText === undefined) throw xmlError('missing vcpu id in vcpupin');
    if (!isUint(vcpuText)) throw xmlError(`invalid setting for vcpu '${vcpuText}'`);
    const vcpu = Number(vcpuText);
    if (vcpu >= def.vcpu.count) continue; // pins for vCPUs that do not exist are ignored
    if (t.vcpupins.some((p) => p.vcpu === vcpu)) throw xmlError(`duplicate vcpupin for vcpu '${vcpu}'`);
    t.vcpupins.push({ vcpu, cpuset: cpuset(pin, 'vcpupin') });
  }
  t.vcpupins.sort((x, y) => x.vcpu - y.vcpu);
  const emu = firstChild(el, 'emulatorpin');
  if (emu) t.emulatorpin = cpuset(emu, 'emulatorpin');
  for (const pin of children(el, 'iothreadpin')) {
    const iothread = uintAttr(pin, 'iothread');
    if (iothread === undefined) throw xmlError('missing iothread id in iothreadpin');
    if (iothread === 0) throw xmlError('zero is an invalid iothread id value');
    if (!def.iothreadids?.some((x) => x.id === iothread)) throw unsupported(`Cannot find 'iothread' : ${iothread}`);
    if (t.iothreadpins.some((p) => p.iothread === iothread)) {
      throw xmlError(`duplicate iothreadpin for same iothread '${iothread}'`);
    }
    t.iothreadpins.push({ iothread, cpuset: cpuset(pin, 'iothreadpin') });
  }
  for (const s of children(el, 'vcpusched')) t.vcpuscheds.push(parseSched(s, 'vcpus'));
  refuseSchedOverlap(t.vcpuscheds, 'vcpu');
  for (const s of children(el, 'iothreadsched')) {
    const sched = parseSched(s, 'iothreads');
    for (const id of parseBitmap(sched.ids))
      if (!def.iothreadids?.some((x) => x.id === id)) throw unsupported(`Cannot find 'iothread' : ${id}`);
    t.iothreadscheds.push(sched);
  }
  refuseSchedOverlap(t.iothreadscheds, 'iothread');
  const es = firstChild(el, 'emulatorsched');
  if (es) {
    const s = parseSched(es, undefined);
    t.emulatorsched = { scheduler: s.scheduler, priority: s.priority };
  }

  for (const ct of children(el, 'cachetune')) parseCachetune(ct, t, def.vcpu.count, ctx);
  for (const mt of children(el, 'memorytune')) parseMemorytune(mt, t, def.vcpu.count, ctx);
  def.cputune = t;
}

/** One vCPU or I/O thread gets at most one scheduler. */
function refuseSchedOverlap(scheds: readonly Sched[], thread: 'vcpu' | 'iothread'): void {
  const seen = new Set<number>();
  for (const s of scheds) {
    for (const id of parseBitmap(s.ids)) {
      if (seen.has(id)) throw xmlDetail(`'${thread}sched' attributes '${thread}s' must not overlap`);
      seen.add(id);
    }
  }
}

function parseSched(el: XmlElement, idsAttr: 'vcpus' | 'iothreads' | undefined): Sched {
  const scheduler = enumAttr(el, 'scheduler', SCHED_POLICIES);
  if (!scheduler) throw xmlError(`Missing required attribute 'scheduler' in element '${el.name}'`);
  const s: Sched = { ids: '', scheduler };
  if (idsAttr) s.ids = formatBitmap(parseBitmap(requiredAttr(el, idsAttr)));
  if (scheduler === 'fifo' || scheduler === 'rr') {
    const prio = intAttr(el, 'priority');
    if (prio === undefined) throw xmlError(`Missing required attribute 'priority' in element '${el.name}'`);
    s.priority = prio;
  }
  return s;
}

function parseCachetune(el: XmlElement, t: CpuTune, maxVcpus: number, ctx: ParseContext): void {
  const vcpus = vcpuSet(el, maxVcpus);
  if (!vcpus) return; // nothing left after dropping vCPUs that do not exist
  for (const other of t.cachetunes) {
    if (bitmapOverlaps(parseBitmap(other.vcpus), vcpus)) throw xmlError('Overlapping vcpus in cachetunes');
  }
  const tune: CacheTune = { vcpus: formatBitmap(vcpus), caches: [], monitors: [] };
  if (!ctx.inactive && el.attrs.id !== undefined) tune.id = el.attrs.id;
  for (const c of children(el, 'cache')) {
    const id = uintAttr(c, 'id');
    const level = uintAttr(c, 'level');
    const type = enumAttr(c, 'type', CACHE_TYPES);
    const sizeText = c.attrs.size;
    if (id === undefined) throw xmlError("Missing cachetune attribute 'id'");
    if (level === undefined) throw xmlError("Missing cachetune attribute 'level'");
    if (!type) throw xmlError("Missing cachetune attribute 'type'");
    if (sizeText === undefined) throw xmlError("Missing cachetune attribute 'size'");
    const size = scaledBytes(sizeText, c.attrs.unit, './@size', 1024);
    for (const prev of tune.caches) {
      if (prev.level !== level || prev.id !== id) continue;
      if (prev.type === type) {
        throw xmlError(`Cache allocation for level ${level}, cache ${id}, type '${type}' is already defined`);
      }
      if (prev.type === 'both' || type === 'both') {
        throw xmlError(
          `Cache allocation of type '${type}' conflicts with allocation of type '${prev.type}' for level ${level}, cache ${id}`,
        );
      }
    }
    tune.caches.push({ id, level, type, size });
  }
  for (const m of children(el, 'monitor')) {
    const level = uintAttr(m, 'level');
    if (level === undefined) throw xmlError("Missing monitor attribute 'level'");
    if (level !== 3) throw xmlError(`Invalid monitor cache level '${level}'`);
    const mv = parseMonitorVcpus(m, vcpus, tune.monitors);
    tune.monitors.push({ level, vcpus: mv });
  }
  t.cachetunes.push(tune);
}

function parseMonitorVcpus(m: XmlElement, alloc: number[], existing: Array<{ vcpus: string }>): string {
  const text = m.attrs.vcpus;
  if (text === undefined) throw xmlError('Missing monitor attribute vcpus');
  const bits = parseBitmap(text);
  if (bits.length === 0 || !bitmapSubset(bits, alloc)) throw xmlError('Monitor vcpus conflicts with allocation');
  const canon = formatBitmap(bits);
  if (existing.some((e) => e.vcpus === canon)) throw xmlError('Identical vcpus found in same type monitors');
  return canon;
}

function parseMemorytune(el: XmlElement, t: CpuTune, maxVcpus: number, ctx: ParseContext): void {
  const vcpus = vcpuSet(el, maxVcpus);
  if (!vcpus) return;
  // A memorytune either shares exactly the vCPUs of one cachetune or overlaps none.
  for (const ct of t.cachetunes) {
    const other = parseBitmap(ct.vcpus);
    if (bitmapOverlaps(other, vcpus) && !bitmapEquals(other, vcpus)) throw xmlError('Overlapping vcpus in memorytunes');
  }
  for (const mt of t.memorytunes) {
    if (bitmapOverlaps(parseBitmap(mt.vcpus), vcpus)) throw xmlError('Overlapping vcpus in memorytunes');
  }
  const tune: MemoryTune = { vcpus: formatBitmap(vcpus), nodes: [], monitors: [] };
  if (!ctx.inactive && el.attrs.id !== undefined) tune.id = el.attrs.id;
  for (const n of children(el, 'node')) {
    const id = uintAttr(n, 'id');
    const bandwidth = uintAttr(n, 'bandwidth');
    if (id === undefined) throw xmlError("Missing memorytune attribute 'id'");
    if (bandwidth === undefined) throw xmlError("Missing memorytune attribute 'bandwidth'");
    if (tune.nodes.some((x) => x.id === id)) throw xmlError(`Memory Bandwidth already defined for node ${id}`);
    tune.nodes.push({ id, bandwidth });
  }
  for (const m of children(el, 'monitor')) tune.monitors.push({ vcpus: parseMonitorVcpus(m, vcpus, tune.monitors) });
  t.memorytunes.push(tune);
}

const CACHE_TYPE_ORDER: Record<CacheType, number> = { both: 0, code: 1, data: 2 };

export function formatCputune(w: XmlWriter, def: DomainDef, ctx: FormatContext): void {
  const t = def.cputune;
  if (!t) return;
  const mark = w.openMaybe('cputune');
  w.optText('shares', t.shares);
  w.optText('period', t.period || undefined);
  w.optText('quota', t.quota || undefined);
  w.optText('global_period', t.globalPeriod || undefined);
  w.optText('global_quota', t.globalQuota || undefined);
  w.optText('emulator_period', t.emulatorPeriod || undefined);
  w.optText('emulator_quota', t.emulatorQuota || undefined);
  w.optText('iothread_period', t.iothreadPeriod || undefined);
  w.optText('iothread_quota', t.iothreadQuota || undefined);
  for (const p of t.vcpupins) w.empty('vcpupin', a('vcpu', p.vcpu) + a('cpuset', p.cpuset));
  if (t.emulatorpin) w.empty('emulatorpin', a('cpuset', t.emulatorpin));
  for (const p of t.iothreadpins) w.empty('iothreadpin', a('iothread', p.iothread) + a('cpuset', p.cpuset));
  for (const s of t.vcpuscheds)
    w.empty('vcpusched', a('vcpus', s.ids) + a('scheduler', s.scheduler) + a('priority', s.priority));
  if (t.emulatorsched)
    w.empty('emulatorsched', a('scheduler', t.emulatorsched.scheduler) + a('priority', t.emulatorsched.priority));
  for (const s of t.iothreadscheds) {
    w.empty('iothreadsched', a('iothreads', s.ids) + a('scheduler', s.scheduler) + a('priority', s.priority));
  }

  for (const ct of t.cachetunes) {
    if (ct.caches.length === 0 && ct.monitors.length === 0) continue;
    w.open('cachetune', a('vcpus', ct.vcpus) + a('id', ctx.inactive ? undefined : ct.id));
    const caches = [...ct.caches].sort(
      (x, y) => x.level - y.level || CACHE_TYPE_ORDER[x.type] - CACHE_TYPE_ORDER[y.type] || x.id - y.id,
    );
    for (const c of caches) {
      const size = prettyBytes(c.size);
      w.empty(
        'cache',
        a('id', c.id) + a('level', c.level) + a('type', c.type) + a('size', size.value) + a('unit', size.unit),
      );
    }
    for (const m of ct.monitors) w.empty('monitor', a('level', m.level) + a('vcpus', m.vcpus));
    w.close('cachetune');
  }

  // Memory tunes follow libvirt's resctrl group order: those sharing a cachetune's vCPUs
  // come in cachetune order, the others after them in document order.
  const rank = (mt: MemoryTune, i: number): number => {
    const shared = t.cachetunes.findIndex((ct) => ct.vcpus === mt.vcpus);
    return shared >= 0 ? shared : t.cachetunes.length + i;
  };
  const mts = t.memorytunes.map((mt, i) => ({ mt, r: rank(mt, i) })).sort((x, y) => x.r - y.r);
  for (const { mt } of mts) {
    if (mt.nodes.length === 0 && mt.monitors.length === 0) continue;
    const shared = t.cachetunes.find((ct) => ct.vcpus === mt.vcpus);
    const id = mt.id ?? shared?.id;
    w.open('memorytune', a('vcpus', mt.vcpus) + a('id', ctx.inactive ? undefined : id));
    for (const n of [...mt.nodes].sort((x, y) => x.id - y.id))
      w.empty('node', a('id', n.id) + a('bandwidth', n.bandwidth));
    for (const m of mt.monitors) w.empty('monitor', a('vcpus', m.vcpus));
    w.close('memorytune');
  }
  w.endMaybe(mark, 'cputune');
}
