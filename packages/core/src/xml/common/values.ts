/**
 * Value parsers shared by the network, storage, capabilities and snapshot XML modules:
 * UUIDs, yes/no tristates and integers, read the way libvirt reads them.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import type { XmlElement } from '../adapter.js';
import { childText, firstChild } from '../adapter.js';

export function xmlError(domain: ErrorDomain, detail: string, code: ErrorCode = ErrorCode.XML_ERROR): VirError {
  return new VirError({ code, domain, detail });
}

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

const HEX_RE = /^[0-9a-fA-F]$/;

/**
 * libvirt's UUID reader: 32 hex digits, '-' allowed between byte pairs, surrounding blanks
 * ignored. Returns the canonical lower-case dashed form, or undefined when malformed.
 */
export function normalizeUuid(text: string): string | undefined {
  const s = text.trim();
  let hex = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '-') {
      if (hex.length % 2 !== 0) return undefined;
      continue;
    }
    if (!HEX_RE.test(c)) return undefined;
    hex += c;
  }
  if (hex.length !== 32) return undefined;
  hex = hex.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function generateUuid(): string {
  return randomUUID();
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

export function invalidAttr(el: XmlElement, attr: string, value: string, domain: ErrorDomain): VirError {
  return xmlError(domain, `Invalid value for attribute '${attr}' in element '${el.name}': '${value}'.`);
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

const UINT_RE = /^\s*\+?\d+\s*$/;
const INT_RE = /^\s*[-+]?\d+\s*$/;

/** Unsigned decimal integer, or undefined when the text is not one (the caller words the error). */
export function toUnsigned(text: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined || !UINT_RE.test(text)) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
}

/** Signed decimal integer. */
export function toInteger(text: string | undefined): number | undefined {
  if (text === undefined || !INT_RE.test(text)) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) ? n : undefined;
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

/** Integer scale suffixes libvirt accepts for sizes (virScaleInteger). */
export function scaleFactor(unit: string | undefined, defaultScale = 1): number | bigint | undefined {
  if (unit === undefined || unit === '') return defaultScale;
  const u = unit;
  if (u === 'b' || u === 'B' || u === 'bytes') return 1;
  const prefix = u[0]!.toLowerCase();
  const power = 'kmgtpe'.indexOf(prefix) + 1;
  if (power === 0) return undefined;
  let base: number;
  if (u.length === 1) base = 1024;
  else if (u.length === 2 && (u[1] === 'b' || u[1] === 'B')) base = 1000;
  else if (u.length === 3 && u[1] === 'i' && (u[2] === 'b' || u[2] === 'B')) base = 1024;
  else return undefined;
  return BigInt(base) ** BigInt(power);
}

/**
 * A size with a unit, in bytes (or the caller's default unit). Returns a number while it is a
 * safe integer; larger values (up to `limit`) stay exact as bigint.
 */
export function scaleSize(
  value: string,
  unit: string | undefined,
  domain: ErrorDomain,
  malformed: string,
  limit: bigint = 2n ** 63n - 1n,
  defaultScale = 1,
): number | bigint {
  if (!UINT_RE.test(value)) throw xmlError(domain, malformed);
  const scale = scaleFactor(unit, defaultScale);
  if (scale === undefined) {
    throw new VirError({ code: ErrorCode.INVALID_ARG, domain, detail: `unknown suffix '${unit}'` });
  }
  const bytes = BigInt(value.trim()) * BigInt(scale);
  if (bytes > limit) {
    throw new VirError({ code: ErrorCode.OVERFLOW, domain, detail: `value too large: ${value}${unit ?? ''}` });
  }
  return bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : bytes;
}

export { ErrorCode, ErrorDomain };
