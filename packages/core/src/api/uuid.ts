import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Accept a UUID as libvirt does (hex digits, dashes anywhere) and give its canonical form. */
export function normalizeUuid(text: string, api: string): string {
  // Handles from the wire and from earlier lookups are canonical already: one test, no copies.
  if (typeof text === 'string' && CANONICAL.test(text)) return text;
  const hex = typeof text === 'string' ? text.replace(/[-\s]/g, '').toLowerCase() : '';
  if (!/^[0-9a-f]{32}$/.test(hex)) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.NONE,
      message: `uuidstr in ${api} must be a valid UUID`,
    });
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
