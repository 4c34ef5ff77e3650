/**
 * Where virtio memory devices sit in the guest's physical address space: a device with a fixed
 * base address may not cover the base address of another (libvirt's memory device validation).
 */
import type { DomainDef } from './types.js';
import { unsupported } from './util/errors.js';
import { firstChild, type XmlElement } from './util/parse.js';
import { elementKiB } from './util/units.js';

/** Models whose <target><address base=.../> places them at a fixed guest physical address. */
const PLACED_MODELS = new Set(['virtio-mem', 'virtio-pmem']);

function baseAddress(mem: XmlElement): number {
  if (!PLACED_MODELS.has(mem.attrs.model ?? '')) return 0;
  const base = firstChild(firstChild(mem, 'target') ?? mem, 'address')?.attrs.base;
  if (base === undefined) return 0;
  const n = Number(base.trim());
  return Number.isFinite(n) ? n : 0;
}

/** The device's own bus address, as text, to recognise two views of one device. */
function busAddress(mem: XmlElement): string | undefined {
  const a = firstChild(mem, 'address');
  return a ? JSON.stringify(Object.entries(a.attrs).sort()) : undefined;
}

export function validateMemoryDeviceAddresses(def: DomainDef): void {
  const mems = def.devices.raw.memory ?? [];
  for (const mem of mems) {
    const start = baseAddress(mem);
    if (start === 0) continue;
    const sizeKiB = elementKiB(firstChild(firstChild(mem, 'target') ?? mem, 'size'), './target/size') ?? 0;
    const end = start + sizeKiB * 1024;
    const here = busAddress(mem);
    for (const other of mems) {
      if (other === mem || (here !== undefined && here === busAddress(other))) continue;
      const otherStart = baseAddress(other);
      if (otherStart !== 0 && start <= otherStart && end > otherStart)
        throw unsupported(
          `memory device address [0x${start.toString(16)}:0x${end.toString(16)}] overlaps with other memory device (0x${otherStart.toString(16)})`,
        );
    }
  }
}
