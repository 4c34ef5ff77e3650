/**
 * Attribute and child-element readers shared by the network, storage, capabilities and snapshot
 * modules, with libvirt's wording for bad values.
 */
import type { ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childText, firstChild } from '../adapter.js';
import { invalidAttr, xmlError } from './errors.js';
import { toUnsigned } from './integers.js';

/** Text of a child element; libvirt's XPath string() turns an empty result into "absent". */
export function childString(el: XmlElement, name: string): string | undefined {
  const v = childText(el, name);
  return v === undefined || v === '' ? undefined : v;
}

/** An attribute, with the empty string treated as absent (as virXPathString does). */
export function attrString(el: XmlElement | undefined, name: string): string | undefined {
  const v = el?.attrs[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Attribute of a child element (`./child/@attr`). */
export function childAttr(el: XmlElement, child: string, name: string): string | undefined {
  return attrString(firstChild(el, child), name);
}

/** Parse yes/no; anything else is libvirt's "Invalid value for attribute" error. */
export function parseYesNo(el: XmlElement | undefined, attr: string, domain: ErrorDomain): boolean | undefined {
  return parseTristate(el, attr, domain, 'yes', 'no');
}

/** Parse on/off. */
export function parseOnOff(el: XmlElement | undefined, attr: string, domain: ErrorDomain): boolean | undefined {
  return parseTristate(el, attr, domain, 'on', 'off');
}

function parseTristate(
  el: XmlElement | undefined,
  attr: string,
  domain: ErrorDomain,
  yes: string,
  no: string,
): boolean | undefined {
  const v = el?.attrs[attr];
  if (v === undefined) return undefined;
  if (v === yes) return true;
  if (v === no) return false;
  throw invalidAttr(el!, attr, v, domain);
}

export function yesNo(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : v ? 'yes' : 'no';
}

export function onOff(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : v ? 'on' : 'off';
}

/** An attribute restricted to one of `values`; libvirt's wording for anything else. */
export function parseEnumAttr<T extends string>(
  el: XmlElement | undefined,
  attr: string,
  values: readonly T[],
  domain: ErrorDomain,
): T | undefined {
  const v = el?.attrs[attr];
  if (v === undefined) return undefined;
  if ((values as readonly string[]).includes(v)) return v as T;
  throw invalidAttr(el!, attr, v, domain);
}

/** A required unsigned attribute; libvirt's wording when missing or malformed. */
export function parseUnsignedAttr(
  el: XmlElement | undefined,
  attr: string,
  domain: ErrorDomain,
  opts: { required?: boolean; max?: number } = {},
): number | undefined {
  const v = el?.attrs[attr];
  if (v === undefined) {
    if (opts.required) throw xmlError(domain, `Missing required attribute '${attr}' in element '${el?.name}'`);
    return undefined;
  }
  const n = toUnsigned(v, opts.max);
  if (n === undefined) throw invalidAttr(el!, attr, v, domain);
  return n;
}
