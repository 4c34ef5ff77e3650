/** Address assignment of the qemu driver: virtio-serial ports, PCI slots, DIMM slots. */
import type { DomainDef } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { assignMemorySlots } from './memory-slots.js';
import { assignPciAddresses } from './pci-assign.js';
import { assignVirtioSerialPorts } from './virtio-serial.js';

export function assignQemuAddresses(def: DomainDef, caps: QemuCaps): void {
  assignSpaprVioAddresses(def);
  assignVirtioSerialPorts(def);
  assignPciAddresses(def, caps);
  assignMemorySlots(def);
}

/** ibmvscsi controllers sit on the sPAPR VIO bus, from register 0x2000 up. */
function assignSpaprVioAddresses(def: DomainDef): void {
  const used = new Set<number>();
  for (const c of def.devices.controllers) {
    const a = c.info.address;
    if (a?.type === 'spapr-vio' && a.reg !== undefined) used.add(a.reg);
  }
  for (const c of def.devices.controllers) {
    if (c.type !== 'scsi' || c.model !== 'ibmvscsi' || c.info.address) continue;
    let reg = 0x2000;
    while (used.has(reg)) reg += 0x1000;
    used.add(reg);
    c.info.address = { type: 'spapr-vio', reg };
  }
}
