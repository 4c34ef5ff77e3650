/**
 * Backend XML namespaces of pools: fs/netfs mount options (<fs:mount_opts>) and RBD
 * configuration options (<rbd:config_opts>). Input may bind any prefix; output uses libvirt's.
 */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements } from '../adapter.js';
import { xmlError } from '../common/errors.js';
import { a, type XmlWriter } from '../writer.js';
import type { StoragePoolType } from './formats.js';

export const FS_NAMESPACE = 'http://libvirt.org/schemas/storagepool/fs/1.0';
export const RBD_NAMESPACE = 'http://libvirt.org/schemas/storagepool/rbd/1.0';

export interface PoolNamespaceData {
  /** fs/netfs: extra mount options. */
  mountOpts?: string[];
  /** rbd: librados configuration options. */
  rbdConfigOpts?: Array<{ name: string; value: string }>;
}

function prefixFor(root: XmlElement, uri: string): string | undefined {
  for (const [k, v] of Object.entries(root.attrs)) if (k.startsWith('xmlns:') && v === uri) return k.slice(6);
  return undefined;
}

export function parsePoolNamespace(root: XmlElement, type: StoragePoolType): PoolNamespaceData | undefined {
  const D = ErrorDomain.STORAGE;
  if (type === 'fs' || type === 'netfs') {
    const p = prefixFor(root, FS_NAMESPACE);
    const opts =
      p === undefined ? [] : childElements(root, `${p}:mount_opts`).flatMap((m) => childElements(m, `${p}:option`));
    if (opts.length === 0) return undefined;
    return {
      mountOpts: opts.map((o) => {
        const name = o.attrs.name;
        if (!name) throw xmlError(D, 'Failed to parse fs mount_opts option name', ErrorCode.XML_ERROR);
        return name;
      }),
    };
  }
  if (type === 'rbd') {
    const p = prefixFor(root, RBD_NAMESPACE);
    const opts =
      p === undefined ? [] : childElements(root, `${p}:config_opts`).flatMap((m) => childElements(m, `${p}:option`));
    if (opts.length === 0) return undefined;
    return {
      rbdConfigOpts: opts.map((o) => {
        const { name, value } = o.attrs;
        if (!name) throw xmlError(D, 'Failed to parse rbd config_opts option name', ErrorCode.XML_ERROR);
        if (value === undefined) throw xmlError(D, 'Failed to parse rbd config_opts option value', ErrorCode.XML_ERROR);
        return { name, value };
      }),
    };
  }
  return undefined;
}

/** The xmlns declaration the root element needs, if any. */
export function poolNamespaceAttr(ns: PoolNamespaceData | undefined): [string, string] | undefined {
  if (ns?.mountOpts?.length) return ['xmlns:fs', FS_NAMESPACE];
  if (ns?.rbdConfigOpts?.length) return ['xmlns:rbd', RBD_NAMESPACE];
  return undefined;
}

export function formatPoolNamespace(w: XmlWriter, ns: PoolNamespaceData | undefined): void {
  if (ns?.mountOpts?.length) {
    w.open('fs:mount_opts');
    for (const o of ns.mountOpts) w.empty('fs:option', a('name', o));
    w.close('fs:mount_opts');
  }
  if (ns?.rbdConfigOpts?.length) {
    w.open('rbd:config_opts');
    for (const o of ns.rbdConfigOpts) w.empty('rbd:option', a('name', o.name) + a('value', o.value));
    w.close('rbd:config_opts');
  }
}
