/** <vlan> (networks and port groups): tags, trunking and the native VLAN. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements } from '../adapter.js';
import { parseUnsignedAttr } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { a, type XmlWriter } from '../writer.js';

export const VLAN_NATIVE_MODES = ['tagged', 'untagged'] as const;
export type VlanNativeMode = (typeof VLAN_NATIVE_MODES)[number];

export interface VlanTag {
  id: number;
  /** Set on the one tag that is the native VLAN of a trunk. */
  nativeMode?: VlanNativeMode;
}

export interface Vlan {
  /** Written as trunk='yes'; implied by several tags or a native VLAN. */
  trunk: boolean;
  tags: VlanTag[];
}

const D = ErrorDomain.NETWORK;

export function parseVlan(node: XmlElement): Vlan {
  const tags: VlanTag[] = [];
  let native = false;
  for (const t of childElements(node, 'tag')) {
    const idText = t.attrs.id;
    if (idText === undefined) throw xmlError(D, 'missing or invalid vlan tag id', ErrorCode.XML_ERROR);
    const id = parseUnsignedAttr(t, 'id', D, { max: 4095 })!;
    const tag: VlanTag = { id };
    const mode = t.attrs.nativeMode;
    if (mode !== undefined) {
      if (native) throw xmlError(D, 'duplicate native vlan setting', ErrorCode.XML_ERROR);
      if (!(VLAN_NATIVE_MODES as readonly string[]).includes(mode)) {
        throw xmlError(D, `Attribute nativeMode='${mode}' is invalid`, ErrorCode.CONFIG_UNSUPPORTED);
      }
      tag.nativeMode = mode as VlanNativeMode;
      native = true;
    }
    tags.push(tag);
  }
  if (tags.length === 0)
    throw xmlError(
      D,
      "missing tag id - each <vlan> must have at least one <tag id='n'/> subelement",
      ErrorCode.XML_ERROR,
    );
  let trunk = tags.length > 1 || native;
  const t = node.attrs.trunk;
  if (t !== undefined) {
    if (t.toLowerCase() === 'yes') trunk = true;
    else if (t.toLowerCase() === 'no') {
      if (tags.length > 1) {
        throw xmlError(
          D,
          `invalid "trunk='no'" setting in <vlan> - trunk='yes' is required for more than one vlan tag`,
          ErrorCode.XML_ERROR,
        );
      }
      if (native)
        throw xmlError(
          D,
          `invalid configuration in <vlan> - "trunk='no'" is not allowed with a native vlan id`,
          ErrorCode.XML_ERROR,
        );
    } else {
      throw xmlError(D, `invalid "trunk='${t}'" setting in <vlan> - must be yes or no`, ErrorCode.XML_ERROR);
    }
  }
  return { trunk, tags };
}

export function formatVlan(w: XmlWriter, vlan: Vlan | undefined): void {
  if (!vlan || vlan.tags.length === 0) return;
  w.open('vlan', a('trunk', vlan.trunk ? 'yes' : undefined));
  for (const tag of vlan.tags) w.empty('tag', a('id', tag.id) + a('nativeMode', tag.nativeMode));
  w.close('vlan');
}
