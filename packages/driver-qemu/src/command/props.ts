/** Property bags for -device/-object/-blockdev JSON and the key=value,... option syntax. */
import type { DeviceAddress } from '@tsvirt/core';

/** A JSON number too large for a double (e.g. a 64-bit WWN), written digit for digit. */
export class RawNumber {
  constructor(readonly digits: string) {}
}

export type PropValue = string | number | boolean | null | RawNumber | PropBag | PropValue[];
export interface PropBag {
  [key: string]: PropValue;
}

/** Builds a property bag in insertion order, skipping undefined values (libvirt's optional keys). */
export class Props {
  readonly bag: PropBag = {};
  set(key: string, value: PropValue | undefined): this {
    if (value !== undefined) this.bag[key] = value;
    return this;
  }
  /** Tri-state on/off switches written as booleans only when the user gave them. */
  bool(key: string, value: boolean | undefined): this {
    return this.set(key, value);
  }
  json(): string {
    return toJson(this.bag);
  }
}

/** key=value,key=value; commas in values doubled as QEMU's option parser wants. */
export function keyValue(first: string | undefined, pairs: Array<[string, string | number | undefined]>): string {
  const parts: string[] = first === undefined ? [] : [first];
  for (const [k, v] of pairs) if (v !== undefined) parts.push(`${k}=${escapeComma(String(v))}`);
  return parts.join(',');
}

export function escapeComma(s: string): string {
  return s.replace(/,/g, ',,');
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

export function onOff(v: boolean): string {
  return v ? 'on' : 'off';
}

/** "0x1" or "0x1.0x2": QEMU's addr= for a PCI slot and function. */
export function pciAddr(addr: DeviceAddress & { type: 'pci' }): string {
  return addr.function ? `${hex(addr.slot)}.${hex(addr.function)}` : hex(addr.slot);
}

function toJson(v: PropValue): string {
  if (v instanceof RawNumber) return v.digits;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
