/** A pool's <source>: hosts, devices, dir, adapter, name, initiator, format, auth, protocol, vendor/product. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements, firstChild } from '../adapter.js';
import { attrString, childAttr, childString, parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toInteger } from '../common/integers.js';
import { a, attrList, type XmlWriter } from '../writer.js';
import { formatAuth, parseAuth, type StorageAuth } from './auth.js';
import type { PoolTypeInfo, StoragePoolType } from './formats.js';
import { sanitizePath } from './path.js';
import { formatAdapter, parseAdapter, type StorageAdapter } from './pool-adapter.js';

export interface PoolSourceHost {
  name: string;
  port?: number;
}

export interface PoolSourceDevice {
  path: string;
  partSeparator?: boolean;
  /** Free space (bytes) found by a refresh; never read from XML. */
  freeExtents?: Array<{ start: number; end: number }>;
}

export interface StoragePoolSource {
  hosts: PoolSourceHost[];
  devices: PoolSourceDevice[];
  dir?: string;
  adapter?: StorageAdapter;
  name?: string;
  initiatorIqn?: string;
  /** Pool format (filesystem, partition table, LVM...), for types that have one. */
  format?: string;
  auth?: StorageAuth;
  protocolVer?: string;
  vendor?: string;
  product?: string;
}

const D = ErrorDomain.STORAGE;
const XE = ErrorCode.XML_ERROR;

export function emptySource(info: PoolTypeInfo): StoragePoolSource {
  const src: StoragePoolSource = { hosts: [], devices: [] };
  if (info.defaultPoolFormat !== undefined) src.format = info.defaultPoolFormat;
  return src;
}

export function parsePoolSource(node: XmlElement, type: StoragePoolType, info: PoolTypeInfo): StoragePoolSource {
  const src = emptySource(info);
  const name = childString(node, 'name');
  if (name !== undefined) src.name = name;
  if (type === 'rbd' && name === undefined) throw xmlError(D, "element 'name' is mandatory for RBD pool", XE);

  if (info.poolFormats) {
    const format = childAttr(node, 'format', 'type');
    if (format !== undefined) {
      if (!info.poolFormats.includes(format)) {
        throw xmlError(D, `unknown pool format type ${format}`, ErrorCode.CONFIG_UNSUPPORTED);
      }
      src.format = format;
    }
  }

  for (const h of childElements(node, 'host')) {
    const hname = attrString(h, 'name');
    if (hname === undefined) throw xmlError(D, 'missing storage pool host name', XE);
    const host: PoolSourceHost = { name: hname };
    if (h.attrs.port !== undefined) {
      const port = toInteger(h.attrs.port);
      if (port === undefined)
        throw xmlError(D, `Invalid value for attribute 'port' in element 'host': '${h.attrs.port}'.`, XE);
      if (port) host.port = port;
    }
    src.hosts.push(host);
  }

  const iqn = childAttr(firstChild(node, 'initiator') ?? { name: '', attrs: {}, nodes: [] }, 'iqn', 'name');
  if (iqn !== undefined) src.initiatorIqn = iqn;

  for (const d of childElements(node, 'device')) {
    const path = attrString(d, 'path');
    if (path === undefined) throw xmlError(D, 'missing storage pool source device path', XE);
    const dev: PoolSourceDevice = { path };
    const sep = parseYesNo(d, 'part_separator', D);
    if (sep !== undefined) dev.partSeparator = sep;
    src.devices.push(dev);
  }

  const dir = childAttr(node, 'dir', 'path');
  if (dir !== undefined) src.dir = sanitizePath(dir);
  // A gluster pool without a dir is the whole volume.
  if (src.dir === undefined && type === 'gluster') src.dir = '/';

  const adapter = firstChild(node, 'adapter');
  if (adapter) src.adapter = parseAdapter(adapter);

  const auth = firstChild(node, 'auth');
  if (auth) src.auth = parseAuth(auth);

  const ver = childAttr(node, 'protocol', 'ver');
  if (ver !== undefined) {
    if (src.format !== 'nfs' && src.format !== 'auto') {
      throw xmlError(
        D,
        `storage pool protocol ver unsupported for pool type '${src.format ?? ''}'`,
        ErrorCode.CONFIG_UNSUPPORTED,
      );
    }
    if (ver.includes(','))
      throw xmlError(D, `storage pool protocol ver '${ver}' must not contain ','`, ErrorCode.XML_DETAIL);
    src.protocolVer = ver;
  }
  const vendor = childAttr(node, 'vendor', 'name');
  if (vendor !== undefined) src.vendor = vendor;
  const product = childAttr(node, 'product', 'name');
  if (product !== undefined) src.product = product;
  return src;
}

export function formatPoolSource(w: XmlWriter, src: StoragePoolSource, info: PoolTypeInfo): void {
  const f = info.flags;
  // libvirt always writes <source> with separate open and close lines, even when empty.
  w.open('source');
  if (f.host) for (const h of src.hosts) w.empty('host', a('name', h.name) + a('port', h.port || undefined));
  if (f.device) {
    for (const d of src.devices) {
      const attrs: Array<[string, string | undefined]> = [
        ['path', d.path],
        ['part_separator', yesNo(d.partSeparator)],
      ];
      if (d.freeExtents?.length) {
        w.open('device', attrList(attrs));
        for (const e of d.freeExtents) w.empty('freeExtent', a('start', e.start) + a('end', e.end));
        w.close('device');
      } else {
        w.empty('device', attrList(attrs));
      }
    }
  }
  if (f.dir && src.dir !== undefined) w.empty('dir', a('path', src.dir));
  if (f.adapter && src.adapter) formatAdapter(w, src.adapter);
  if (f.name) w.optText('name', src.name);
  if (f.initiatorIqn && src.initiatorIqn !== undefined) {
    w.open('initiator');
    w.empty('iqn', a('name', src.initiatorIqn));
    w.close('initiator');
  }
  if (info.poolFormats && src.format !== undefined) w.empty('format', a('type', src.format));
  if (src.auth) formatAuth(w, src.auth);
  if (src.protocolVer !== undefined) w.empty('protocol', a('ver', src.protocolVer));
  if (src.vendor !== undefined) w.empty('vendor', a('name', src.vendor));
  if (src.product !== undefined) w.empty('product', a('name', src.product));
  w.close('source');
}
