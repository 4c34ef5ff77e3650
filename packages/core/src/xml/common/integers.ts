/** Decimal integers as libvirt reads them; the caller words the error. */

const UINT_RE = /^\s*\+?\d+\s*$/;
const INT_RE = /^\s*[-+]?\d+\s*$/;

/** Digits only, with an optional '+' and surrounding blanks. */
export function isUnsignedText(text: string): boolean {
  return UINT_RE.test(text);
}

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
