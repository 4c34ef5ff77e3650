/** DIMM slots for memory devices (libvirt's qemuDomainAssignMemorySlots). */
import type { DomainDef } from '@tsvirt/core';
import { childOf } from './devices-util.js';

const SLOTTED = new Set(['dimm', 'nvdimm']);

/** With memory hotplug configured, each dimm/nvdimm without a slot takes the lowest free one. */
export function assignMemorySlots(def: DomainDef): void {
  if (!def.maxMemory) return;
  const mems = def.devices.raw.memory ?? [];
  const used = new Set<number>();
  for (const m of mems) {
    const a = childOf(m, 'address');
    if (a?.attrs.type === 'dimm') used.add(Number(a.attrs.slot ?? '0'));
  }
  for (const m of mems) {
    if (!SLOTTED.has(m.attrs.model ?? '') || childOf(m, 'address')) continue;
    let slot = 0;
    while (used.has(slot)) slot++;
    used.add(slot);
    m.nodes.push({ name: 'address', attrs: { type: 'dimm', slot: String(slot) }, nodes: [] });
  }
}
