/** libvirt's CPU maps: bit n%8 of byte n/8 set when host CPU n is in the set. */
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { parseBitmap } from '../xml/domain/util/bitmap.js';

/** VIR_CPU_MAPLEN: bytes needed for `ncpus` CPUs. */
export function cpumapLength(ncpus: number): number {
  return Math.ceil(ncpus / 8);
}

/** A map of `maplen` bytes holding the CPUs of `cpus` that fit in it. */
export function cpumapOf(cpus: Iterable<number>, maplen: number): Uint8Array {
  const map = new Uint8Array(maplen);
  for (const cpu of cpus) if (cpu >= 0 && cpu < maplen * 8) map[cpu >> 3]! |= 1 << (cpu & 7);
  return map;
}

/** The CPUs set in a map, ascending. */
export function cpusOfCpumap(map: Uint8Array): number[] {
  const cpus: number[] = [];
  for (let i = 0; i < map.length * 8; i++) if (map[i >> 3]! & (1 << (i & 7))) cpus.push(i);
  return cpus;
}

/** A CPU list in libvirt's syntax ("0-3,^2"), printed back in canonical form. */
export { formatBitmap as formatCpuList } from '../xml/domain/util/bitmap.js';

/**
 * virBitmapParse for a CPU list ("0-3,^2,8") with at most `limit` CPUs: the CPUs, ascending, or
 * libvirt's "Failed to parse bitmap" error.
 */
export function parseCpuList(text: string, limit = 16384): number[] {
  try {
    return parseBitmap(text, 'cpuset', limit);
  } catch {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.NONE,
      detail: `Failed to parse bitmap '${text}'`,
    });
  }
}
