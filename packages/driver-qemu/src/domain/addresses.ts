/** Address assignment of the qemu driver: virtio-serial ports, PCI slots, DIMM slots. */
import type { DomainDef } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { assignMemorySlots } from './memory-slots.js';
import { assignPciAddresses } from './pci-assign.js';
import { assignVirtioSerialPorts } from './virtio-serial.js';

export function assignQemuAddresses(def: DomainDef, caps: QemuCaps): void {
  assignVirtioSerialPorts(def);
  assignPciAddresses(def, caps);
  assignMemorySlots(def);
}
