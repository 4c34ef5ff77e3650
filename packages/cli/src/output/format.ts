/** printf-style helpers for virsh's fixed layouts. */

/** "%-Ns": left-justify in a field of n characters (never truncates). */
export function padRight(text: string, n: number): string {
  return text.length >= n ? text : text + ' '.repeat(n - text.length);
}

/** virsh's "%-15s %s\n" key/value line. */
export function field(label: string, value: string | number, width = 15): string {
  return `${padRight(label, width)} ${value}\n`;
}

/** vshPrettyCapacity: the value scaled to the largest binary unit below 1024. */
export function prettyCapacity(bytes: number | bigint): { value: number; unit: string } {
  const v = typeof bytes === 'bigint' ? Number(bytes) : bytes;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let limit = 1024;
  for (const unit of units) {
    if (v < limit) return { value: unit === 'B' ? v : v / (limit / 1024), unit };
    limit *= 1024;
  }
  return { value: v / (limit / 1024), unit: 'EiB' };
}

/** C's "%.Nf": fixed decimals, rounding half to even on the binary value like glibc. */
export function fixed(value: number, digits: number): string {
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  // toFixed rounds exact ties up; glibc rounds them to even.
  if (scaled - floor === 0.5 && Number.isSafeInteger(floor)) {
    const n = floor % 2 === 0 ? floor : floor + 1;
    return (n / scale).toFixed(digits);
  }
  return value.toFixed(digits);
}

/** "%.2lf %s" of a byte count, as in pool-list --details and vol-info. */
export function capacityText(bytes: number | bigint): string {
  const { value, unit } = prettyCapacity(bytes);
  return `${fixed(value, 2)} ${unit}`;
}
