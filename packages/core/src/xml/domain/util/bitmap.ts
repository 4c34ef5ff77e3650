/**
 * CPU / NUMA node sets in libvirt's syntax ("0-3,^2,8"): parsed to a sorted list and printed
 * back in canonical range form, as libvirt's virBitmap does.
 */
import { xmlError } from './errors.js';

/** Highest bit libvirt accepts in a cpuset (VIR_DOMAIN_CPUMASK_LEN). */
export const CPUMASK_LEN = 16384;

export function parseBitmap(text: string, what = 'cpuset', limit = CPUMASK_LEN): number[] {
  const set = new Set<number>();
  const bad = () => xmlError(`Failed to parse bitmap '${text}'`);
  if (text.trim() === '') throw bad();
  for (const rawPart of text.split(',')) {
    const part = rawPart.trim();
    if (part === '') throw bad();
    const negate = part.startsWith('^');
    const body = negate ? part.slice(1) : part;
    const dash = body.indexOf('-');
    const lo = dash < 0 ? body : body.slice(0, dash);
    const hi = dash < 0 ? body : body.slice(dash + 1);
    if (!/^[0-9]+$/.test(lo) || !/^[0-9]+$/.test(hi) || (negate && dash >= 0)) throw bad();
    const a = Number(lo);
    const b = Number(hi);
    if (a > b || b >= limit) throw bad();
    for (let k = a; k <= b; k++) {
      if (negate) set.delete(k);
      else set.add(k);
    }
  }
  void what;
  return [...set].sort((x, y) => x - y);
}

export function formatBitmap(bits: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bits.length) {
    const start = bits[i]!;
    let end = start;
    while (i + 1 < bits.length && bits[i + 1] === end + 1) end = bits[++i]!;
    out += (out ? ',' : '') + (start === end ? `${start}` : `${start}-${end}`);
    i++;
  }
  return out;
}

/** Parse and re-print: the canonical form of a set, or undefined when absent. */
export function canonicalBitmap(text: string | undefined, what?: string): string | undefined {
  if (text === undefined) return undefined;
  return formatBitmap(parseBitmap(text, what));
}

export function bitmapOverlaps(a: readonly number[], b: readonly number[]): boolean {
  const s = new Set(a);
  return b.some((x) => s.has(x));
}

export function bitmapEquals(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function bitmapSubset(sub: readonly number[], of: readonly number[]): boolean {
  const s = new Set(of);
  return sub.every((x) => s.has(x));
}
