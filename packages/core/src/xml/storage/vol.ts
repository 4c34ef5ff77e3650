/** <volume>: parse and format of storage volume XML, read in the context of its pool. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { firstChild, parseXml } from '../adapter.js';
import { attrString, childAttr, childString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { scaleSize } from '../common/sizes.js';
import { a, XmlWriter } from '../writer.js';
import { POOL_TYPE_INFO, type StorageVolType, VOL_TYPES } from './formats.js';
import type { StoragePoolDef } from './pool-types.js';
import { formatVolTarget, parseBackingStore, parseVolTarget } from './target.js';
import type { StorageVolDef } from './vol-types.js';

const D = ErrorDomain.STORAGE;

export interface ParseStorageVolOptions {
  /** VIR_VOL_XML_PARSE_NO_CAPACITY: capacity may be left out (e.g. when cloning). */
  noCapacity?: boolean;
  /** VIR_VOL_XML_PARSE_OPT_CAPACITY: capacity may be left out when there is a backing store. */
  optCapacity?: boolean;
}

/** A pool that only says its type, for volumes parsed without one (a directory pool). */
const DEFAULT_POOL: Pick<StoragePoolDef, 'type'> = { type: 'dir' };

/**
 * Parse volume XML (virsh vol-create input). The pool decides which formats are allowed and
 * the defaults; without one, a directory pool is assumed.
 */
export function parseStorageVolXml(
  xml: string,
  pool: Pick<StoragePoolDef, 'type'> = DEFAULT_POOL,
  options: ParseStorageVolOptions = {},
): StorageVolDef {
  const root = parseXml(xml, { documentName: 'storage_volume_definition', domain: ErrorDomain.XML });
  if (root.name !== 'volume') {
    throw new VirError({
      code: ErrorCode.XML_ERROR,
      domain: ErrorDomain.XML,
      detail: `expecting root element of 'volume', not '${root.name}'`,
    });
  }
  const info = POOL_TYPE_INFO[pool.type];

  const name = childString(root, 'name');
  if (name === undefined) throw xmlError(D, 'missing volume name element');
  const def: StorageVolDef = { name };
  const key = childString(root, 'key');
  if (key !== undefined) def.key = key;
  const type = attrString(root, 'type');
  if (type !== undefined) {
    if (!(VOL_TYPES as readonly string[]).includes(type))
      throw xmlError(D, `unknown volume type '${type}'`, ErrorCode.CONFIG_UNSUPPORTED);
    def.type = type as StorageVolType;
  }

  const backingNode = firstChild(root, 'backingStore');
  const backing = backingNode ? parseBackingStore(backingNode, info) : undefined;
  if (backing) def.backingStore = backing;

  const capacity = childString(root, 'capacity');
  if (capacity !== undefined) {
    def.capacity = Number(scaleSize(capacity, childAttr(root, 'capacity', 'unit'), D, 'malformed capacity element'));
  } else if (!options.noCapacity && !(options.optCapacity && backing)) {
    throw xmlError(D, 'missing capacity element');
  }
  const allocation = childString(root, 'allocation');
  if (allocation !== undefined) {
    def.allocation = Number(
      scaleSize(allocation, childAttr(root, 'allocation', 'unit'), D, 'malformed capacity element'),
    );
  } else {
    def.allocation = def.capacity;
  }

  def.target = parseVolTarget(firstChild(root, 'target'), info);
  return def;
}

/** Format a volume as virsh vol-dumpxml prints it; ends with a newline. */
export function formatStorageVolXml(def: StorageVolDef, pool: Pick<StoragePoolDef, 'type'> = DEFAULT_POOL): string {
  const info = POOL_TYPE_INFO[pool.type];
  const w = new XmlWriter();
  w.open('volume', a('type', def.type ?? 'file'));
  w.text('name', def.name);
  w.optText('key', def.key);
  w.element('source', '', () => {
    // Extents are grouped under one <device> per consecutive path.
    const extents = def.source?.extents ?? [];
    let current: string | undefined;
    for (const e of extents) {
      if (e.path !== current) {
        if (current !== undefined) w.close('device');
        w.open('device', a('path', e.path));
        current = e.path;
      }
      w.empty('extent', a('start', e.start) + a('end', e.end));
    }
    if (current !== undefined) w.close('device');
  });
  w.optText('capacity', def.capacity ?? 0, a('unit', 'bytes'));
  w.optText('allocation', def.allocation ?? 0, a('unit', 'bytes'));
  if (def.physical) w.optText('physical', def.physical, a('unit', 'bytes'));
  formatVolTarget(w, 'target', def.target ?? {}, info);
  if (def.backingStore?.path !== undefined) formatVolTarget(w, 'backingStore', def.backingStore, info);
  w.close('volume');
  return w.toString();
}
