/**
 * <cpu><numa>: the guest NUMA cells with their distances and memory-side caches, and the HMAT
 * <interconnects> (latency and bandwidth between initiator and target cells).
 */

import { a, type XmlWriter, yn } from '../writer.js';
import { canonicalBitmap } from './util/bitmap.js';
import { xmlError } from './util/errors.js';
import {
  children,
  elementsOf,
  enumAttr,
  firstChild,
  requiredAttr,
  uintAttr,
  type XmlElement,
  yesNoAttr,
} from './util/parse.js';
import { scaledBytes, scaledKiB } from './util/units.js';

export const MEM_ACCESS = ['shared', 'private'] as const;
export const NUMA_CACHE_ASSOCIATIVITY = ['none', 'direct', 'full'] as const;
export const NUMA_CACHE_POLICY = ['none', 'writeback', 'writethrough'] as const;
export const NUMA_LATENCY_TYPES = ['access', 'read', 'write'] as const;

/** ACPI's distance of a node to itself; 255 marks an unreachable node. */
const LOCAL_DISTANCE = 10;
const UNREACHABLE = 255;

export interface NumaCache {
  level: number;
  associativity: (typeof NUMA_CACHE_ASSOCIATIVITY)[number];
  policy: (typeof NUMA_CACHE_POLICY)[number];
  /** KiB. */
  size: number;
  /** Bytes. */
  line: number;
}

export interface NumaCell {
  id: number;
  cpus?: string;
  /** KiB. */
  memory: number;
  memAccess?: (typeof MEM_ACCESS)[number];
  discard?: boolean;
  /** Distances to the other cells, sorted by id; libvirt completes the symmetric and local ones. */
  distances?: Array<{ id: number; value: number }>;
  caches?: NumaCache[];
}

export interface NumaInterconnect {
  kind: 'latency' | 'bandwidth';
  initiator: number;
  target: number;
  /** The target's cache level, 0 for its memory. */
  cache: number;
  type: (typeof NUMA_LATENCY_TYPES)[number];
  /** Nanoseconds for a latency, KiB/s for a bandwidth. */
  value: number;
}

export function parseNuma(numa: XmlElement): { cells: NumaCell[]; interconnects: NumaInterconnect[] } {
  const elems = children(numa, 'cell');
  if (elems.length === 0) throw xmlError('NUMA topology defined without NUMA cells');
  const slots: Array<NumaCell | undefined> = new Array(elems.length).fill(undefined);
  // Distances are gathered per cell in one matrix, because a sibling also fills its mirror.
  const dist: Array<number[] | undefined> = new Array(elems.length).fill(undefined);
  elems.forEach((c, i) => {
    const id = uintAttr(c, 'id') ?? i;
    if (id >= elems.length)
      throw xmlError(
        "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
      );
    if (slots[id]) throw xmlError(`Duplicate NUMA cell info for cell id '${id}'`);
    const cell: NumaCell = {
      id,
      cpus: canonicalBitmap(c.attrs.cpus, 'cpus'),
      memory: scaledKiB(requiredAttr(c, 'memory'), c.attrs.unit, './@memory'),
      memAccess: enumAttr(c, 'memAccess', MEM_ACCESS),
      discard: yesNoAttr(c, 'discard'),
    };
    slots[id] = cell;
    parseDistances(c, id, dist);
    const caches = children(c, 'cache').map((e) => parseCache(e, id));
    if (caches.length) cell.caches = caches;
  });
  const cells = slots as NumaCell[];
  dist.forEach((row, id) => {
    if (!row || !cells[id]) return;
    cells[id].distances = row.flatMap((value, sib) => (value ? [{ id: sib, value }] : []));
  });
  const ic = firstChild(numa, 'interconnects');
  const interconnects = ic ? elementsOf(ic).flatMap(parseInterconnect) : [];
  return { cells, interconnects };
}

function parseDistances(cell: XmlElement, cur: number, dist: Array<number[] | undefined>): void {
  const el = firstChild(cell, 'distances');
  if (!el) return;
  const siblings = children(el, 'sibling');
  if (siblings.length === 0) throw xmlError('NUMA distances defined without siblings');
  const row = (id: number): number[] => {
    let r = dist[id];
    if (!r) {
      r = new Array(dist.length).fill(0);
      r[id] = LOCAL_DISTANCE;
      dist[id] = r;
    }
    return r;
  };
  for (const s of siblings) {
    const sib = uintAttr(s, 'id');
    if (sib === undefined) throw xmlError("Missing required attribute 'id' in element 'sibling'");
    if (sib >= dist.length)
      throw xmlError(`'sibling_id ${sib}' does not refer to a valid cell within NUMA 'cell id ${cur}'`);
    const value = uintAttr(s, 'value');
    if (value === undefined) throw xmlError("Missing required attribute 'value' in element 'sibling'");
    const local = sib === cur;
    if (value < LOCAL_DISTANCE || value > UNREACHABLE || local !== (value === LOCAL_DISTANCE))
      throw xmlError(`'value ${value}' is invalid for 'sibling id ${sib}' under NUMA 'cell id ${cur}'`);
    row(cur)[sib] = value;
    // The sibling gets the same distance back unless it states its own.
    const back = row(sib);
    if (!back[cur]) back[cur] = value;
  }
}

function parseCache(el: XmlElement, cell: number): NumaCache {
  const levelText = el.attrs.level;
  if (levelText === undefined) throw xmlError(`Missing 'level' attribute in cache element for NUMA node ${cell}`);
  const level = /^\d+$/.test(levelText) ? Number(levelText) : 0;
  if (level === 0) throw xmlError(`Invalid 'level' attribute in cache element for NUMA node ${cell}`);
  const assoc = el.attrs.associativity;
  if (assoc === undefined) throw xmlError(`Missing 'associativity' attribute in cache element for NUMA node ${cell}`);
  if (!(NUMA_CACHE_ASSOCIATIVITY as readonly string[]).includes(assoc))
    throw xmlError(`Invalid cache associativity '${assoc}'`);
  const policy = el.attrs.policy;
  if (policy === undefined || !(NUMA_CACHE_POLICY as readonly string[]).includes(policy))
    throw xmlError(`Invalid cache policy '${policy ?? ''}'`);
  const size = firstChild(el, 'size');
  const line = firstChild(el, 'line');
  if (!size?.attrs.value) throw xmlError("missing element or attribute './size/@value'");
  if (!line?.attrs.value) throw xmlError("missing element or attribute './line/@value'");
  return {
    level,
    associativity: assoc as NumaCache['associativity'],
    policy: policy as NumaCache['policy'],
    size: scaledKiB(size.attrs.value, size.attrs.unit, './size/@value'),
    line: scaledBytes(line.attrs.value, line.attrs.unit, './line/@value'),
  };
}

function parseInterconnect(el: XmlElement): NumaInterconnect[] {
  if (el.name !== 'latency' && el.name !== 'bandwidth') return [];
  const need = (name: string): number => {
    const v = uintAttr(el, name);
    if (v === undefined) throw xmlError(`Missing required attribute '${name}' in element '${el.name}'`);
    return v;
  };
  const value = el.name === 'latency' ? need('value') : scaledKiB(requiredAttr(el, 'value'), el.attrs.unit, './@value');
  const type = enumAttr(el, 'type', NUMA_LATENCY_TYPES);
  if (!type) throw xmlError(`Missing required attribute 'type' in element '${el.name}'`);
  return [
    {
      kind: el.name,
      initiator: need('initiator'),
      target: need('target'),
      cache: uintAttr(el, 'cache') ?? 0,
      type,
      value,
    },
  ];
}

export function formatNuma(w: XmlWriter, cells: readonly NumaCell[], interconnects: readonly NumaInterconnect[]): void {
  if (cells.length === 0) return;
  w.open('numa');
  for (const c of cells) {
    const attrs =
      a('id', c.id) +
      a('cpus', c.cpus) +
      a('memory', c.memory) +
      " unit='KiB'" +
      a('memAccess', c.memAccess) +
      yn('discard', c.discard);
    if (!c.distances?.length && !c.caches?.length) {
      w.empty('cell', attrs);
      continue;
    }
    w.open('cell', attrs);
    if (c.distances?.length) {
      w.open('distances');
      for (const s of c.distances) w.empty('sibling', a('id', s.id) + a('value', s.value));
      w.close('distances');
    }
    for (const k of c.caches ?? []) {
      w.open('cache', a('level', k.level) + a('associativity', k.associativity) + a('policy', k.policy));
      w.empty('size', `${a('value', k.size)} unit='KiB'`);
      if (k.line) w.empty('line', `${a('value', k.line)} unit='B'`);
      w.close('cache');
    }
    w.close('cell');
  }
  if (interconnects.length) {
    w.open('interconnects');
    for (const l of interconnects) {
      const attrs =
        a('initiator', l.initiator) +
        a('target', l.target) +
        (l.cache > 0 ? a('cache', l.cache) : '') +
        a('type', l.type) +
        a('value', l.value) +
        (l.kind === 'bandwidth' ? " unit='KiB'" : '');
      w.empty(l.kind, attrs);
    }
    w.close('interconnects');
  }
  w.close('numa');
}

/** True when the guest describes HMAT data (a cell cache or an interconnect). */
export function numaHasHmat(cells: readonly NumaCell[], interconnects: readonly NumaInterconnect[] = []): boolean {
  return interconnects.length > 0 || cells.some((c) => !!c.caches?.length);
}

/**
 * The initiator of a memory-only cell: itself when it has vCPUs, else the cell with the lowest
 * latency (or, failing that, the highest bandwidth) to it; undefined when nothing says.
 */
export function numaCellInitiator(
  cells: readonly NumaCell[],
  interconnects: readonly NumaInterconnect[],
  id: number,
): number | undefined {
  if (cells[id]?.cpus) return id;
  let latency: NumaInterconnect | undefined;
  let bandwidth: NumaInterconnect | undefined;
  for (const l of interconnects) {
    if (l.target !== id) continue;
    if (l.kind === 'latency' && (!latency || l.value < latency.value)) latency = l;
    if (l.kind === 'bandwidth' && (!bandwidth || l.value > bandwidth.value)) bandwidth = l;
  }
  return (latency ?? bandwidth)?.initiator;
}
