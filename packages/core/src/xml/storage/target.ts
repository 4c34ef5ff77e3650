/**
 * A volume's <target> and <backingStore>: path, format, permissions, timestamps, encryption,
 * qcow2 compat level, cluster size and features.
 */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements, firstChild } from '../adapter.js';
import { attrString, childAttr, childString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { scaleSize } from '../common/sizes.js';
import { a, type XmlWriter } from '../writer.js';
import { formatEncryption, parseEncryption, type StorageEncryption } from './encryption.js';
import { isVolFormat, type PoolTypeInfo, type StorageVolFeature, VOL_FEATURES } from './formats.js';
import { formatPermissions, parsePermissions, type StoragePerms } from './permissions.js';

/** A timestamp as libvirt prints it: seconds with an optional nine-digit fraction ("1341933637.273190990"). */
export type VolTimestamp = string;

export interface VolTimestamps {
  atime?: VolTimestamp;
  mtime?: VolTimestamp;
  ctime?: VolTimestamp;
  btime?: VolTimestamp;
}

export interface StorageVolTarget {
  path?: string;
  /** Image format (file pools) or partition type (disk pools); absent for pools without formats. */
  format?: string;
  perms?: StoragePerms;
  /** Filled in by a pool refresh; libvirt never reads them from XML. */
  timestamps?: VolTimestamps;
  encryption?: StorageEncryption;
  compat?: string;
  /** Bytes. */
  clusterSize?: number;
  /** Present (possibly empty) when <features> was given. */
  features?: StorageVolFeature[];
  /** Create without copy-on-write (btrfs); read, never written back. */
  nocow?: boolean;
}

const D = ErrorDomain.STORAGE;

export function parseVolFormat(node: XmlElement | undefined, info: PoolTypeInfo): string | undefined {
  if (!info.volFormats) return undefined;
  const format = node ? attrString(firstChild(node, 'format'), 'type') : undefined;
  if (format === undefined) return info.defaultVolFormat;
  if (!isVolFormat(info, format))
    throw xmlError(D, `unknown volume format type ${format}`, ErrorCode.CONFIG_UNSUPPORTED);
  return format;
}

export function parseVolTarget(node: XmlElement | undefined, info: PoolTypeInfo): StorageVolTarget {
  const t: StorageVolTarget = {};
  const path = node ? childString(node, 'path') : undefined;
  if (path !== undefined) t.path = path;
  const format = parseVolFormat(node, info);
  if (format !== undefined) t.format = format;
  if (!node) return t;
  const perms = parsePermissions(firstChild(node, 'permissions'));
  if (perms) t.perms = perms;
  const enc = firstChild(node, 'encryption');
  if (enc) t.encryption = parseEncryption(enc);
  const compat = childString(node, 'compat');
  if (compat !== undefined) {
    if (!/^\d+\.\d+$/.test(compat)) throw xmlError(D, "forbidden characters in 'compat' attribute");
    t.compat = compat;
  }
  if (firstChild(node, 'nocow')) t.nocow = true;
  const cs = childString(node, 'clusterSize');
  if (cs !== undefined) {
    const size = Number(
      scaleSize(cs, childAttr(node, 'clusterSize', 'unit'), D, "Invalid value for element 'clusterSize'"),
    );
    if (size > 0) t.clusterSize = size;
  }
  const features = firstChild(node, 'features');
  if (features) {
    t.compat ??= '1.1';
    const list: StorageVolFeature[] = [];
    for (const f of childElements(features)) {
      if (!(VOL_FEATURES as readonly string[]).includes(f.name)) {
        throw xmlError(D, `unsupported feature ${f.name}`, ErrorCode.CONFIG_UNSUPPORTED);
      }
      if (!list.includes(f.name as StorageVolFeature)) list.push(f.name as StorageVolFeature);
    }
    t.features = list;
  }
  return t;
}

/** <backingStore>: only its path, format and permissions are read. */
export function parseBackingStore(node: XmlElement, info: PoolTypeInfo): StorageVolTarget | undefined {
  const path = childString(node, 'path');
  if (path === undefined) return undefined;
  const b: StorageVolTarget = { path };
  const format = parseVolFormat(node, info);
  if (format !== undefined) b.format = format;
  const perms = parsePermissions(firstChild(node, 'permissions'));
  if (perms) b.perms = perms;
  return b;
}

export function formatVolTarget(
  w: XmlWriter,
  name: 'target' | 'backingStore',
  t: StorageVolTarget,
  info: PoolTypeInfo,
): void {
  w.open(name);
  w.optText('path', t.path);
  if (info.volFormats && t.format !== undefined) w.empty('format', a('type', t.format));
  formatPermissions(w, t.perms);
  if (t.timestamps) {
    w.open('timestamps');
    w.optText('atime', t.timestamps.atime);
    w.optText('mtime', t.timestamps.mtime);
    w.optText('ctime', t.timestamps.ctime);
    w.optText('btime', t.timestamps.btime);
    w.close('timestamps');
  }
  if (t.encryption) formatEncryption(w, t.encryption);
  w.optText('compat', t.compat);
  if (t.clusterSize) w.optText('clusterSize', t.clusterSize, a('unit', 'B'));
  if (t.features) {
    // Written in libvirt's feature order, whatever the input order.
    const set = VOL_FEATURES.filter((f) => t.features!.includes(f));
    if (set.length === 0) w.empty('features');
    else {
      w.open('features');
      for (const f of set) w.empty(f);
      w.close('features');
    }
  }
  w.close(name);
}
