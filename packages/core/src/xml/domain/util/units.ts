/** libvirt's scaled sizes: `<memory unit='MiB'>`, `size='6' unit='MiB'` and friends. */
import { invalidArg, xmlError } from './errors.js';
import type { XmlElement } from './parse.js';

const POWERS = ['', 'k', 'm', 'g', 't', 'p', 'e'] as const;

/** Multiplier for a unit suffix (b, bytes, KiB, KB, k, M, ...); `dflt` applies when absent. */
export function unitScale(unit: string | undefined, dflt: number): number {
  if (unit === undefined || unit === '') return dflt;
  const u = unit.toLowerCase();
  if (u === 'b' || u === 'byte' || u === 'bytes') return 1;
  const power = POWERS.indexOf(u[0] as (typeof POWERS)[number]);
  if (power <= 0) throw invalidArg(`unknown suffix '${unit}'`);
  const rest = u.slice(1);
  let base: number;
  if (rest === '' || rest === 'ib') base = 1024;
  else if (rest === 'b') base = 1000;
  else throw invalidArg(`unknown suffix '${unit}'`);
  return base ** power;
}

const UINT = /^\s*\+?[0-9]+\s*$/;

/**
 * A size in KiB from a number and unit (default KiB), rounded up to whole KiB as libvirt does.
 * `path` names the value in the error, as libvirt's XPath does.
 */
export function scaledKiB(value: string, unit: string | undefined, path: string, dflt = 1024): number {
  if (!UINT.test(value)) throw xmlError(`Invalid value '${value}' for element or attribute '${path}'`);
  const bytes = BigInt(value.trim()) * BigInt(unitScale(unit, dflt));
  const kib = (bytes + 1023n) / 1024n;
  if (kib > BigInt(Number.MAX_SAFE_INTEGER)) throw xmlError(`size value '${value}' is too large for '${path}'`);
  return Number(kib);
}

/** Size in bytes (for values libvirt keeps in bytes, such as cache sizes and tseg). */
export function scaledBytes(value: string, unit: string | undefined, path: string, dflt = 1): number {
  if (!UINT.test(value)) throw xmlError(`Invalid value '${value}' for element or attribute '${path}'`);
  const bytes = BigInt(value.trim()) * BigInt(unitScale(unit, dflt));
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw xmlError(`size value '${value}' is too large for '${path}'`);
  return Number(bytes);
}

/** An element holding a scaled size in its text: `<hard_limit unit='KiB'>N</hard_limit>`. */
export function elementKiB(el: XmlElement | undefined, path: string): number | undefined {
  if (!el) return undefined;
  let text = '';
  for (const n of el.nodes) if (typeof n === 'string') text += n;
  return scaledKiB(text, el.attrs.unit, path);
}

const PRETTY_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** The largest binary unit that divides `bytes` exactly, as libvirt prints cache sizes. */
export function prettyBytes(bytes: number): { value: number; unit: string } {
  let value = bytes;
  let i = 0;
  while (value !== 0 && value % 1024 === 0 && i < PRETTY_UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  return { value, unit: PRETTY_UNITS[i]! };
}
