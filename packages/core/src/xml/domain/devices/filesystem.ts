/** <filesystem>: host directories, images and templates shared with the guest. */

import { ErrorCode } from '../../../errors/codes.js';
import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { domainError, xmlError } from '../util/errors.js';
import { elementsOf, enumAttr, firstChild, textOf, type XmlElement } from '../util/parse.js';
import { scaledBytes } from '../util/units.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const FS_TYPES = ['mount', 'block', 'file', 'template', 'ram', 'bind', 'volume'] as const;
export type FsType = (typeof FS_TYPES)[number];
export const FS_ACCESS_MODES = ['passthrough', 'mapped', 'squash'] as const;
export type FsAccessMode = (typeof FS_ACCESS_MODES)[number];

export interface FilesystemDef {
  type: FsType;
  /** Absent for virtiofs when not given (the daemon decides). */
  accessmode?: FsAccessMode;
  model?: string;
  multidevs?: string;
  fmode?: string;
  dmode?: string;
  driver?: Partial<Record<string, string>>;
  /** <binary>, <idmap> and other children, kept as written. */
  extra?: XmlElement[];
  /** mount/bind: dir; block: dev; file: file; template: name; ram: usage (KiB); volume: pool/volume; socket. */
  source: { path?: string; usage?: number; pool?: string; volume?: string; socket?: string };
  target: string;
  readonly?: boolean;
  /** Bytes. */
  spaceHardLimit?: number;
  spaceSoftLimit?: number;
  info: DeviceInfo;
}

const DRIVER_ATTRS = ['type', 'format', 'wrpolicy', 'queue', 'iommu', 'ats', 'packed', 'page_per_vq'] as const;
const KNOWN = new Set([
  'driver',
  'source',
  'target',
  'readonly',
  'space_hard_limit',
  'space_soft_limit',
  'alias',
  'address',
  'boot',
  'acpi',
]);

function limit(el: XmlElement, name: string): number | undefined {
  const c = firstChild(el, name);
  return c ? scaledBytes(textOf(c), c.attrs.unit, `./${name}[1]`) : undefined;
}

export function parseFilesystem(el: XmlElement, ctx: ParseContext): FilesystemDef {
  const type = enumAttr(el, 'type', FS_TYPES) ?? 'mount';
  const src = firstChild(el, 'source');
  const source: FilesystemDef['source'] = {};
  if (src) {
    switch (type) {
      case 'mount':
      case 'bind':
        source.path = src.attrs.dir;
        source.socket = src.attrs.socket;
        break;
      case 'block':
        source.path = src.attrs.dev;
        break;
      case 'file':
        source.path = src.attrs.file;
        break;
      case 'template':
        source.path = src.attrs.name;
        break;
      case 'ram': {
        const usage = src.attrs.usage;
        if (usage === undefined) throw xmlError("missing 'usage' attribute for RAM filesystem");
        source.usage = Math.ceil(scaledBytes(usage, src.attrs.units, './source/@usage', 1024) / 1024);
        break;
      }
      case 'volume':
        source.pool = src.attrs.pool;
        source.volume = src.attrs.volume;
        break;
    }
  }
  const target = firstChild(el, 'target')?.attrs.dir;
  if (!target) throw domainError(ErrorCode.NO_TARGET, source.path);
  if (
    source.path === undefined &&
    source.usage === undefined &&
    source.socket === undefined &&
    source.volume === undefined
  ) {
    throw domainError(ErrorCode.NO_SOURCE, target);
  }
  const fs: FilesystemDef = {
    type,
    accessmode:
      enumAttr(el, 'accessmode', FS_ACCESS_MODES) ??
      (firstChild(el, 'driver')?.attrs.type === 'virtiofs' ? undefined : 'passthrough'),
    model: el.attrs.model,
    multidevs: el.attrs.multidevs,
    // File and directory modes are octal, written with a leading zero.
    fmode: octalMode(el.attrs.fmode),
    dmode: octalMode(el.attrs.dmode),
    source,
    target,
    info: parseDeviceInfo(el, ctx),
  };
  const driver = firstChild(el, 'driver');
  if (driver && Object.keys(driver.attrs).length) fs.driver = { ...driver.attrs };
  if (firstChild(el, 'readonly')) fs.readonly = true;
  fs.spaceHardLimit = limit(el, 'space_hard_limit');
  fs.spaceSoftLimit = limit(el, 'space_soft_limit');
  const extra = elementsOf(el).filter((e) => !KNOWN.has(e.name));
  if (extra.length) fs.extra = extra;
  return fs;
}

function octalMode(v: string | undefined): string | undefined {
  if (v === undefined || !/^[0-7]+$/.test(v)) return v;
  return `0${Number.parseInt(v, 8).toString(8).padStart(3, '0')}`;
}

export function formatFilesystem(w: XmlWriter, fs: FilesystemDef, ctx: FormatContext): void {
  w.open(
    'filesystem',
    a('type', fs.type) +
      a('accessmode', fs.accessmode) +
      a('model', fs.model) +
      a('multidevs', fs.multidevs) +
      a('fmode', fs.fmode) +
      a('dmode', fs.dmode),
  );
  if (fs.driver) {
    let d = '';
    for (const k of DRIVER_ATTRS) d += a(k, fs.driver[k]);
    for (const k in fs.driver) if (!(DRIVER_ATTRS as readonly string[]).includes(k)) d += a(k, fs.driver[k]);
    w.empty('driver', d);
  }
  for (const e of fs.extra ?? []) w.raw(e);
  const s = fs.source;
  switch (fs.type) {
    case 'mount':
    case 'bind':
      w.empty('source', a('dir', s.path) + a('socket', s.socket));
      break;
    case 'block':
      w.empty('source', a('dev', s.path));
      break;
    case 'file':
      w.empty('source', a('file', s.path));
      break;
    case 'template':
      w.empty('source', a('name', s.path));
      break;
    case 'ram':
      w.empty('source', `${a('usage', s.usage)} units='KiB'`);
      break;
    case 'volume':
      w.empty('source', a('pool', s.pool) + a('volume', s.volume));
      break;
  }
  w.empty('target', a('dir', fs.target));
  if (fs.readonly) w.empty('readonly');
  if (fs.spaceHardLimit !== undefined) w.text('space_hard_limit', String(fs.spaceHardLimit), " unit='bytes'");
  if (fs.spaceSoftLimit !== undefined) w.text('space_soft_limit', String(fs.spaceSoftLimit), " unit='bytes'");
  formatDeviceInfo(w, fs.info, ctx);
  w.close('filesystem');
}
