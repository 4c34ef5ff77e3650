/** UUIDs as libvirt reads and generates them. */
import { randomUUID } from 'node:crypto';

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
