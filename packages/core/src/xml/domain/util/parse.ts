/**
 * Small readers over the adapter's element tree, shaped after the XPath lookups libvirt uses
 * (`string(./x[1])`, `./x/@attr`): only the first matching element counts, absent means
 * undefined, and bad values raise libvirt's errors naming the element or attribute.
 */
import { firstChild, textOf, type XmlElement } from '../../adapter.js';
import { internalError, xmlError } from './errors.js';

export { firstChild, textOf };
export type { XmlElement };

export function children(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const n of el.nodes) if (typeof n !== 'string' && n.name === name) out.push(n);
  return out;
}

export function elementsOf(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const n of el.nodes) if (typeof n !== 'string') out.push(n);
  return out;
}

/** Text of the first child `name`, undefined when absent (an empty element gives ''). */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = firstChild(el, name);
  return c ? textOf(c) : undefined;
}

/** Like childText but treats an empty text as absent, as libvirt's virXPathString does. */
export function childString(el: XmlElement, name: string): string | undefined {
  const t = childText(el, name);
  return t === undefined || t === '' ? undefined : t;
}

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs[name];
}

/** An attribute libvirt requires: "Missing required attribute 'x' in element 'y'". */
export function requiredAttr(el: XmlElement, name: string): string {
  const v = el.attrs[name];
  if (v === undefined) throw xmlError(`Missing required attribute '${name}' in element '${el.name}'`);
  return v;
}

/** Parse an enum value; `fail` builds the error libvirt raises for an unknown one. */
export function parseEnum<T extends string>(
  values: readonly T[],
  value: string | undefined,
  fail: (value: string) => Error,
): T | undefined {
  if (value === undefined) return undefined;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw fail(value);
}

/** Enum attribute with libvirt's virXMLPropEnum wording. */
export function enumAttr<T extends string>(el: XmlElement, name: string, values: readonly T[]): T | undefined {
  const v = el.attrs[name];
  if (v === undefined) return undefined;
  if ((values as readonly string[]).includes(v)) return v as T;
  throw xmlError(`Invalid value for attribute '${name}' in element '${el.name}': '${v}'.`);
}

const YES_NO = ['yes', 'no'] as const;
const ON_OFF = ['on', 'off'] as const;

/** A yes/no attribute as a boolean (libvirt's tristate bool: absent stays undefined). */
export function yesNoAttr(el: XmlElement, name: string): boolean | undefined {
  const v = enumAttr(el, name, YES_NO);
  return v === undefined ? undefined : v === 'yes';
}

/** An on/off attribute as a boolean (libvirt's tristate switch). */
export function onOffAttr(el: XmlElement, name: string): boolean | undefined {
  const v = enumAttr(el, name, ON_OFF);
  return v === undefined ? undefined : v === 'on';
}

const UINT = /^\s*\+?[0-9]+\s*$/;
const INT = /^\s*[-+]?[0-9]+\s*$/;
const HEX_OR_DEC = /^\s*(0[xX][0-9a-fA-F]+|[0-9]+)\s*$/;

/** Unsigned integer attribute (decimal); error names the attribute and element. */
export function uintAttr(el: XmlElement, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = el.attrs[name];
  if (v === undefined) return undefined;
  const n = UINT.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > max) {
    throw xmlError(
      `Invalid value for attribute '${name}' in element '${el.name}': '${v}'. Expected non-negative integer value`,
    );
  }
  return n;
}

export function intAttr(el: XmlElement, name: string): number | undefined {
  const v = el.attrs[name];
  if (v === undefined) return undefined;
  const n = INT.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw xmlError(`Invalid value for attribute '${name}' in element '${el.name}': '${v}'. Expected integer value`);
  }
  return n;
}

/** Unsigned value accepting 0x hex as libvirt's base-0 parsing does (addresses). */
export function hexOrDecAttr(el: XmlElement, name: string): number | undefined {
  const v = el.attrs[name];
  if (v === undefined) return undefined;
  if (!HEX_OR_DEC.test(v)) throw xmlError(`Invalid value for attribute '${name}' in element '${el.name}': '${v}'`);
  return Number(v.trim());
}

/** A 64-bit unsigned value kept as its decimal string so no precision is lost. */
export function u64Attr(el: XmlElement, name: string): string | undefined {
  const v = el.attrs[name];
  if (v === undefined) return undefined;
  if (!UINT.test(v) || BigInt(v.trim()) > 18446744073709551615n) {
    throw xmlError(
      `Invalid value for attribute '${name}' in element '${el.name}': '${v}'. Expected non-negative integer value`,
    );
  }
  return BigInt(v.trim()).toString();
}

/** Unsigned integer element text, "Invalid value 'x' for element or attribute './path'". */
export function uintText(text: string | undefined, path: string): number | undefined {
  if (text === undefined) return undefined;
  const n = UINT.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw xmlError(`Invalid value '${text}' for element or attribute '${path}'`);
  return n;
}

export function isUint(text: string): boolean {
  return UINT.test(text);
}

export { internalError };
