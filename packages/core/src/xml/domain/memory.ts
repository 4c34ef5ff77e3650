/** <maxMemory>, <memory>, <currentMemory>, <memtune>, <memoryBacking>: sizes are KiB. */

import { a, onoff, type XmlWriter } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { canonicalBitmap } from './util/bitmap.js';
import { xmlError } from './util/errors.js';
import { children, enumAttr, firstChild, onOffAttr, uintAttr, type XmlElement } from './util/parse.js';
import { elementKiB, scaledKiB } from './util/units.js';

export interface MaxMemory {
  /** KiB. */
  size: number;
  slots?: number;
}

export interface MemTune {
  hardLimit?: number;
  softLimit?: number;
  minGuarantee?: number;
  swapHardLimit?: number;
}

export const MEMORY_SOURCE_TYPES = ['file', 'anonymous', 'memfd'] as const;
export type MemorySourceType = (typeof MEMORY_SOURCE_TYPES)[number];
export const MEMORY_ACCESS_MODES = ['shared', 'private'] as const;
export type MemoryAccessMode = (typeof MEMORY_ACCESS_MODES)[number];
export const MEMORY_ALLOCATION_MODES = ['immediate', 'ondemand'] as const;
export type MemoryAllocationMode = (typeof MEMORY_ALLOCATION_MODES)[number];

export interface HugePage {
  /** KiB; 0 means the host default size. */
  size: number;
  nodeset?: string;
}

export interface MemoryBacking {
  hugepages?: HugePage[];
  nosharepages?: boolean;
  locked?: boolean;
  source?: MemorySourceType;
  access?: MemoryAccessMode;
  allocation?: { mode?: MemoryAllocationMode; threads?: number };
  discard?: boolean;
}

function sizeOf(el: XmlElement | undefined, path: string): number | undefined {
  return elementKiB(el, path);
}

export function parseMemory(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const maxMem = firstChild(root, 'maxMemory');
  if (maxMem) {
    def.maxMemory = { size: sizeOf(maxMem, './maxMemory[1]') ?? 0, slots: uintAttr(maxMem, 'slots') };
  }
  const mem = firstChild(root, 'memory');
  def.memory = sizeOf(mem, './memory[1]') ?? 0;
  if (mem) {
    const dump = onOffAttr(mem, 'dumpCore');
    if (dump !== undefined) def.memoryDumpCore = dump;
  }
  const cur = sizeOf(firstChild(root, 'currentMemory'), './currentMemory[1]');
  def.currentMemory = cur ?? 0;

  const memtune = firstChild(root, 'memtune');
  if (memtune) {
    // libvirt's "unlimited" (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED KiB) is the same as no limit.
    const limit = (name: string) => {
      const v = sizeOf(firstChild(memtune, name), `./memtune/${name}[1]`);
      return v !== undefined && v >= MEMORY_UNLIMITED ? undefined : v;
    };
    const t: MemTune = {
      hardLimit: limit('hard_limit'),
      softLimit: limit('soft_limit'),
      minGuarantee: limit('min_guarantee'),
      swapHardLimit: limit('swap_hard_limit'),
    };
    def.memtune = t;
  }

  const mb = firstChild(root, 'memoryBacking');
  if (mb) def.memoryBacking = parseMemoryBacking(mb);
}

function parseMemoryBacking(mb: XmlElement): MemoryBacking {
  const out: MemoryBacking = {};
  const hp = firstChild(mb, 'hugepages');
  if (hp) {
    out.hugepages = children(hp, 'page').map((p) => {
      const sizeText = p.attrs.size;
      if (sizeText === undefined) throw xmlError('hugepage size must be specified');
      const size = scaledKiB(sizeText, p.attrs.unit, './@size');
      if (size === 0) throw xmlError("hugepage size can't be zero");
      return { size, nodeset: canonicalBitmap(p.attrs.nodeset, 'nodeset') };
    });
  }
  if (firstChild(mb, 'nosharepages')) out.nosharepages = true;
  if (firstChild(mb, 'locked')) out.locked = true;
  const source = firstChild(mb, 'source');
  if (source) out.source = enumAttr(source, 'type', MEMORY_SOURCE_TYPES);
  const access = firstChild(mb, 'access');
  if (access) out.access = enumAttr(access, 'mode', MEMORY_ACCESS_MODES);
  const alloc = firstChild(mb, 'allocation');
  if (alloc)
    out.allocation = { mode: enumAttr(alloc, 'mode', MEMORY_ALLOCATION_MODES), threads: uintAttr(alloc, 'threads') };
  if (firstChild(mb, 'discard')) out.discard = true;
  return out;
}

/** 2^53 - 1 KiB: the largest limit libvirt accepts, meaning unlimited. */
const MEMORY_UNLIMITED = 9007199254740991;

export function formatMemory(w: XmlWriter, def: DomainDef, _ctx: FormatContext): void {
  if (def.maxMemory) w.text('maxMemory', String(def.maxMemory.size), `${a('slots', def.maxMemory.slots)} unit='KiB'`);
  w.text('memory', String(def.memory), `${onoff('dumpCore', def.memoryDumpCore)} unit='KiB'`);
  w.text('currentMemory', String(def.currentMemory), " unit='KiB'");
}

export function formatMemtune(w: XmlWriter, def: DomainDef): void {
  const t = def.memtune;
  if (!t) return;
  const mark = w.openMaybe('memtune');
  const lim = (name: string, v: number | undefined) => {
    if (v !== undefined) w.text(name, String(v), " unit='KiB'");
  };
  lim('hard_limit', t.hardLimit);
  lim('soft_limit', t.softLimit);
  // A zero guarantee is no guarantee: libvirt does not write it.
  lim('min_guarantee', t.minGuarantee || undefined);
  lim('swap_hard_limit', t.swapHardLimit);
  w.endMaybe(mark, 'memtune');
}

export function formatMemoryBacking(w: XmlWriter, def: DomainDef): void {
  const mb = def.memoryBacking;
  if (!mb) return;
  const mark = w.openMaybe('memoryBacking');
  if (mb.hugepages) {
    const pages = mb.hugepages.filter((p) => p.size > 0 || p.nodeset);
    if (pages.length === 0) w.empty('hugepages');
    else {
      w.open('hugepages');
      for (const p of pages) w.empty('page', `${a('size', p.size)} unit='KiB'${a('nodeset', p.nodeset)}`);
      w.close('hugepages');
    }
  }
  if (mb.nosharepages) w.empty('nosharepages');
  if (mb.locked) w.empty('locked');
  if (mb.source) w.empty('source', a('type', mb.source));
  if (mb.access) w.empty('access', a('mode', mb.access));
  if (mb.allocation && (mb.allocation.mode || mb.allocation.threads !== undefined)) {
    w.empty('allocation', a('mode', mb.allocation.mode) + a('threads', mb.allocation.threads));
  }
  if (mb.discard) w.empty('discard');
  w.endMaybe(mark, 'memoryBacking');
}
