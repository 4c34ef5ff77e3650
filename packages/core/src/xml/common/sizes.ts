/** Sizes with unit suffixes (virScaleInteger). */
import { ErrorCode, type ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { xmlError } from './errors.js';
import { isUnsignedText } from './integers.js';

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
  if (!isUnsignedText(value)) throw xmlError(domain, malformed);
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
