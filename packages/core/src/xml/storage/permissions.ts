/** <permissions> of pool and volume targets: octal mode, numeric owner/group, security label. */

import { ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { firstChild } from '../adapter.js';
import { childString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toInteger } from '../common/integers.js';
import type { XmlWriter } from '../writer.js';

export interface StoragePerms {
  mode?: number;
  owner?: number;
  group?: number;
  label?: string;
}

const D = ErrorDomain.STORAGE;
const UNSET_ID = 0xffffffff;

function parseId(el: XmlElement, name: 'owner' | 'group'): number | undefined {
  const node = firstChild(el, name);
  if (!node) return undefined;
  const v = toInteger(childString(el, name));
  // -1 (or its unsigned twin) means "leave as is"; libvirt once wrote -1 so it still reads it.
  if (v === undefined || v < -1 || v > UNSET_ID) throw xmlError(D, `malformed ${name} element`);
  return v === -1 || v === UNSET_ID ? undefined : v;
}

export function parsePermissions(node: XmlElement | undefined): StoragePerms | undefined {
  if (!node) return undefined;
  const perms: StoragePerms = {};
  const modeText = childString(node, 'mode');
  if (modeText !== undefined) {
    const s = modeText.trim();
    if (!/^[+-]?[0-7]+$/.test(s)) throw xmlError(D, 'malformed octal mode');
    const mode = parseInt(s, 8);
    if (mode < 0 || (mode & ~0o777) !== 0) throw xmlError(D, 'malformed octal mode');
    perms.mode = mode;
  }
  const owner = parseId(node, 'owner');
  if (owner !== undefined) perms.owner = owner;
  const group = parseId(node, 'group');
  if (group !== undefined) perms.group = group;
  const label = childString(node, 'label');
  if (label !== undefined) perms.label = label;
  return perms;
}

/** libvirt prints ids through a signed int. */
const asInt = (id: number): number => (id > 0x7fffffff ? id - 0x100000000 : id);

export function formatPermissions(w: XmlWriter, perms: StoragePerms | undefined): void {
  if (!perms) return;
  if (perms.mode === undefined && perms.owner === undefined && perms.group === undefined && perms.label === undefined)
    return;
  w.open('permissions');
  if (perms.mode !== undefined) w.text('mode', `0${perms.mode.toString(8)}`);
  if (perms.owner !== undefined) w.optText('owner', asInt(perms.owner));
  if (perms.group !== undefined) w.optText('group', asInt(perms.group));
  w.optText('label', perms.label);
  w.close('permissions');
}
