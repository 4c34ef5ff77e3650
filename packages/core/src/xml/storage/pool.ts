/** <pool>: top-level parse and format of storage pool XML. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { firstChild, parseXml, type XmlElement } from '../adapter.js';
import { attrString, childAttr, childString, parseYesNo, yesNo } from '../common/attributes.js';
import { invalidAttr, xmlError } from '../common/errors.js';
import { scaleSize } from '../common/sizes.js';
import { generateUuid, normalizeUuid } from '../common/uuid.js';
import { a, attrList, XmlWriter } from '../writer.js';
import { POOL_TYPE_INFO, POOL_TYPES, type StoragePoolType } from './formats.js';
import { sanitizePath } from './path.js';
import { formatPermissions, parsePermissions } from './permissions.js';
import { formatPoolNamespace, parsePoolNamespace, poolNamespaceAttr } from './pool-namespace.js';
import { emptySource, formatPoolSource, parsePoolSource } from './pool-source.js';
import type { StoragePoolDef } from './pool-types.js';

const D = ErrorDomain.STORAGE;
const XE = ErrorCode.XML_ERROR;

export interface ParseStoragePoolOptions {
  /**
   * Also read <capacity>, <allocation> and <available>. libvirt ignores them in definitions
   * (they are run-time values); a driver restoring its own state files wants them.
   */
  keepSizes?: boolean;
}

/** Parse storage pool XML (virsh pool-define input). */
export function parseStoragePoolXml(xml: string, options: ParseStoragePoolOptions = {}): StoragePoolDef {
  const root = parseXml(xml, { documentName: 'storage_pool_definition', domain: ErrorDomain.XML });
  if (root.name !== 'pool') {
    throw new VirError({
      code: XE,
      domain: ErrorDomain.XML,
      detail: `expecting root element of 'pool', not '${root.name}'`,
    });
  }
  return parseStoragePoolElement(root, options);
}

export function parseStoragePoolElement(root: XmlElement, options: ParseStoragePoolOptions = {}): StoragePoolDef {
  const typeText = root.attrs.type;
  if (typeText === undefined) throw xmlError(D, "Missing required attribute 'type' in element 'pool'", XE);
  if (!(POOL_TYPES as readonly string[]).includes(typeText)) throw invalidAttr(root, 'type', typeText, D);
  const type = typeText as StoragePoolType;
  const info = POOL_TYPE_INFO[type];
  const f = info.flags;

  const sourceNode = firstChild(root, 'source');
  const source = sourceNode ? parsePoolSource(sourceNode, type, info) : emptySource(info);

  let name = childString(root, 'name');
  if (name === undefined && f.name) name = source.name;
  if (name === undefined) throw xmlError(D, 'missing pool source name element', XE);
  if (name.includes('/')) throw xmlError(D, `name ${name} cannot contain '/'`, XE);

  const uuidText = childString(root, 'uuid');
  let uuid: string;
  if (uuidText === undefined) uuid = generateUuid();
  else {
    const u = normalizeUuid(uuidText);
    if (!u) throw xmlError(D, 'malformed uuid element', XE);
    uuid = u;
  }

  const def: StoragePoolDef = { type, name, uuid, source };

  const cowNode = firstChild(firstChild(root, 'features') ?? root, 'cow');
  const cow = cowNode && cowNode !== root ? parseYesNo(cowNode, 'state', D) : undefined;
  if (cow !== undefined) {
    if (type !== 'fs' && type !== 'dir') {
      throw xmlError(D, "cow feature may only be used for 'fs' and 'dir' pools", ErrorCode.NO_SUPPORT);
    }
    def.features = { cow };
  }

  if (f.host && source.hosts.length === 0) throw xmlError(D, 'missing storage pool source host name', XE);
  if (f.dir && source.dir === undefined) throw xmlError(D, 'missing storage pool source path', XE);
  if (f.name && source.name === undefined) source.name = name;
  if (f.adapter && !source.adapter) throw xmlError(D, 'missing storage pool source adapter', XE);
  // A device is required when it is the only kind of source the type has.
  if (f.device && !f.name && !f.host && source.devices.length === 0) {
    throw xmlError(D, 'missing storage pool source device name', XE);
  }

  if (!f.network) {
    let path: string | undefined;
    if (type === 'logical') path = `/dev/${source.name}`;
    else if (type === 'zfs') path = `/dev/zvol/${source.name}`;
    else {
      path = childString(firstChild(root, 'target') ?? { name: '', attrs: {}, nodes: [] }, 'path');
      if (path === undefined) throw xmlError(D, 'missing storage pool target path', XE);
    }
    def.target = { path: sanitizePath(path) };
    const perms = parsePermissions(firstChild(firstChild(root, 'target') ?? root, 'permissions') ?? undefined);
    if (perms && firstChild(root, 'target')) def.target.perms = perms;
  }

  if (type === 'iscsi-direct' && source.initiatorIqn === undefined) {
    throw xmlError(D, 'missing initiator IQN', ErrorCode.CONFIG_UNSUPPORTED);
  }

  const refreshAlloc = childAttr(firstChild(root, 'refresh') ?? root, 'volume', 'allocation');
  if (refreshAlloc !== undefined && firstChild(root, 'refresh')) {
    if (refreshAlloc !== 'default' && refreshAlloc !== 'capacity') {
      throw xmlError(
        D,
        `unknown storage pool volume refresh allocation type ${refreshAlloc}`,
        ErrorCode.CONFIG_UNSUPPORTED,
      );
    }
    def.refresh = { volumeAllocation: refreshAlloc };
  }

  const ns = parsePoolNamespace(root, type);
  if (ns) def.namespace = ns;

  if (options.keepSizes) {
    for (const key of ['capacity', 'allocation', 'available'] as const) {
      const node = firstChild(root, key);
      const text = childString(root, key);
      if (node && text !== undefined) {
        def[key] = Number(scaleSize(text, attrString(node, 'unit'), D, `malformed ${key} element`));
      }
    }
  }
  return def;
}

/** Format a StoragePoolDef as virsh pool-dumpxml prints it; ends with a newline. */
export function formatStoragePoolXml(def: StoragePoolDef): string {
  const info = POOL_TYPE_INFO[def.type];
  const w = new XmlWriter();
  const nsAttr = poolNamespaceAttr(def.namespace);
  w.open('pool', attrList(nsAttr ? [['type', def.type], nsAttr] : [['type', def.type]]));
  w.text('name', def.name);
  w.text('uuid', def.uuid);
  w.optText('capacity', def.capacity ?? 0, a('unit', 'bytes'));
  w.optText('allocation', def.allocation ?? 0, a('unit', 'bytes'));
  w.optText('available', def.available ?? 0, a('unit', 'bytes'));
  if (def.features?.cow !== undefined) {
    w.open('features');
    w.empty('cow', a('state', yesNo(def.features.cow)));
    w.close('features');
  }
  formatPoolSource(w, def.source, info);
  // Network pools have no local target.
  if (def.type !== 'rbd' && def.type !== 'sheepdog' && def.type !== 'gluster' && def.type !== 'iscsi-direct') {
    w.open('target');
    w.optText('path', def.target?.path);
    formatPermissions(w, def.target?.perms);
    w.close('target');
  }
  if (def.refresh) {
    w.open('refresh');
    w.empty('volume', a('allocation', def.refresh.volumeAllocation));
    w.close('refresh');
  }
  formatPoolNamespace(w, def.namespace);
  w.close('pool');
  return w.toString();
}
