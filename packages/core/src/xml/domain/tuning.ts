/** <blkiotune>, <numatune>, <resource>: host resource controls. */

import { a, type XmlWriter } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { canonicalBitmap } from './util/bitmap.js';
import { unsupported, xmlError } from './util/errors.js';
import {
  children,
  childString,
  enumAttr,
  firstChild,
  isUint,
  textOf,
  uintAttr,
  type XmlElement,
} from './util/parse.js';

export interface BlkioDevice {
  path: string;
  weight?: number;
  readIopsSec?: number;
  writeIopsSec?: number;
  readBytesSec?: number;
  writeBytesSec?: number;
}

export interface BlkioTune {
  weight?: number;
  devices: BlkioDevice[];
}

export const NUMATUNE_MODES = ['strict', 'preferred', 'interleave', 'restrictive'] as const;
export type NumatuneMode = (typeof NUMATUNE_MODES)[number];
export const NUMATUNE_PLACEMENTS = ['static', 'auto'] as const;
export type NumatunePlacement = (typeof NUMATUNE_PLACEMENTS)[number];

export interface NumaTune {
  memory?: { mode: NumatuneMode; placement: NumatunePlacement; nodeset?: string };
  memnodes: Array<{ cellid: number; mode: NumatuneMode; nodeset: string }>;
}

export interface ResourceDef {
  partition?: string;
  fibrechannelAppid?: string;
}

function uintChild(el: XmlElement, name: string, path: string): number | undefined {
  const c = firstChild(el, name);
  if (!c) return undefined;
  const t = textOf(c).trim();
  if (!isUint(t)) throw xmlError(`Invalid value '${t}' for element or attribute '${path}'`);
  return Number(t);
}

export function parseTuning(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const blkio = firstChild(root, 'blkiotune');
  if (blkio) {
    const t: BlkioTune = { weight: uintChild(blkio, 'weight', './blkiotune/weight[1]'), devices: [] };
    for (const d of children(blkio, 'device')) {
      const path = childString(d, 'path');
      if (!path) throw xmlError('missing per-device path');
      if (t.devices.some((x) => x.path === path)) throw xmlError(`duplicate blkio device path '${path}'`);
      t.devices.push({
        path,
        weight: uintChild(d, 'weight', 'weight'),
        readIopsSec: uintChild(d, 'read_iops_sec', 'read_iops_sec'),
        writeIopsSec: uintChild(d, 'write_iops_sec', 'write_iops_sec'),
        readBytesSec: uintChild(d, 'read_bytes_sec', 'read_bytes_sec'),
        writeBytesSec: uintChild(d, 'write_bytes_sec', 'write_bytes_sec'),
      });
    }
    def.blkiotune = t;
  }

  const numa = firstChild(root, 'numatune');
  if (numa) {
    const t: NumaTune = { memnodes: [] };
    const mem = firstChild(numa, 'memory');
    if (mem) {
      const mode = enumAttr(mem, 'mode', NUMATUNE_MODES) ?? 'strict';
      const nodeset = nonEmptyNodeset(mem.attrs.nodeset);
      let placement = enumAttr(mem, 'placement', NUMATUNE_PLACEMENTS);
      if (!placement) placement = nodeset !== undefined ? 'static' : 'auto';
      if (placement === 'static' && nodeset === undefined) {
        throw unsupported("nodeset for NUMA memory tuning must be set if 'placement' is 'static'");
      }
      t.memory = { mode, placement, nodeset: placement === 'static' ? nodeset : undefined };
    }
    for (const mn of children(numa, 'memnode')) {
      const cellid = uintAttr(mn, 'cellid');
      if (cellid === undefined) throw xmlError('Missing required cellid attribute in memnode element');
      if (t.memnodes.some((x) => x.cellid === cellid))
        throw xmlError(`Multiple memnode elements with cellid ${cellid}`);
      if (mn.attrs.nodeset === undefined) throw xmlError('Missing required nodeset attribute in memnode element');
      const nodeset = nonEmptyNodeset(mn.attrs.nodeset)!;
      t.memnodes.push({ cellid, mode: enumAttr(mn, 'mode', NUMATUNE_MODES) ?? 'strict', nodeset });
    }
    def.numatune = t;
  }

  const res = firstChild(root, 'resource');
  if (res) {
    const r: ResourceDef = {};
    const partition = childString(res, 'partition');
    if (partition !== undefined) {
      if (!partition.startsWith('/')) throw unsupported(`Resource partition '${partition}' must start with '/'`);
      r.partition = partition;
    }
    const fc = firstChild(res, 'fibrechannel');
    if (fc) r.fibrechannelAppid = fc.attrs.appid;
    if (r.partition === undefined && r.fibrechannelAppid === undefined) {
      throw xmlError('missing resource partition attribute');
    }
    def.resource = r;
  }
}

/** A numatune nodeset; one that selects no node at all ('0,^0') is refused. */
function nonEmptyNodeset(text: string | undefined): string | undefined {
  const nodeset = canonicalBitmap(text, 'nodeset');
  if (nodeset === '') throw unsupported(`Invalid value of 'nodeset': ${text}`);
  return nodeset;
}

export function formatBlkiotune(w: XmlWriter, def: DomainDef): void {
  const t = def.blkiotune;
  if (!t) return;
  const mark = w.openMaybe('blkiotune');
  // libvirt leaves out zero values, and devices with nothing but zeros.
  const nz = (v: number | undefined) => (v === 0 ? undefined : v);
  w.optText('weight', nz(t.weight));
  for (const d of t.devices) {
    const values = [d.weight, d.readIopsSec, d.writeIopsSec, d.readBytesSec, d.writeBytesSec];
    if (values.every((v) => !v)) continue;
    w.open('device');
    w.text('path', d.path);
    w.optText('weight', nz(d.weight));
    w.optText('read_iops_sec', nz(d.readIopsSec));
    w.optText('write_iops_sec', nz(d.writeIopsSec));
    w.optText('read_bytes_sec', nz(d.readBytesSec));
    w.optText('write_bytes_sec', nz(d.writeBytesSec));
    w.close('device');
  }
  w.endMaybe(mark, 'blkiotune');
}

export function formatNumatune(w: XmlWriter, def: DomainDef): void {
  const t = def.numatune;
  if (!t || (!t.memory && t.memnodes.length === 0)) return;
  w.open('numatune');
  const m = t.memory;
  if (m) {
    w.empty(
      'memory',
      a('mode', m.mode) + (m.placement === 'static' ? a('nodeset', m.nodeset) : a('placement', m.placement)),
    );
  }
  for (const n of t.memnodes) w.empty('memnode', a('cellid', n.cellid) + a('mode', n.mode) + a('nodeset', n.nodeset));
  w.close('numatune');
}

export function formatResource(w: XmlWriter, def: DomainDef, _ctx: FormatContext): void {
  const r = def.resource;
  if (!r) return;
  w.open('resource');
  if (r.partition !== undefined) w.text('partition', r.partition);
  if (r.fibrechannelAppid !== undefined) w.empty('fibrechannel', a('appid', r.fibrechannelAppid));
  w.close('resource');
}
