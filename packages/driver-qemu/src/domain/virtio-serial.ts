/**
 * virtio-serial ports for virtio consoles and channels (libvirt's
 * qemuDomainAssignVirtioSerialAddresses): channels start at port 1,
 * and a new controller is added when every existing one is full.
 */
import type { ChrDevice, ControllerDef, DomainDef } from '@tsvirt/core';
import { insertController } from './devices-util.js';

/** QEMU's default number of ports on a virtio-serial bus. */
const DEFAULT_PORTS = 31;

interface Bus {
  index: number;
  ports: number;
  used: Set<number>;
}

export function assignVirtioSerialPorts(def: DomainDef): void {
  const d = def.devices;
  const buses: Bus[] = d.controllers
    .filter((c) => c.type === 'virtio-serial')
    .map((c) => ({ index: c.index, ports: c.ports ?? DEFAULT_PORTS, used: new Set<number>() }))
    .sort((x, y) => x.index - y.index);
  for (const chr of [...d.consoles, ...d.channels]) {
    const a = chr.info.address;
    if (a?.type === 'virtio-serial' && a.port > 0) buses.find((b) => b.index === a.controller)?.used.add(a.port);
  }
  // Port 0 is reserved for a virtio console.
  const freePort = (bus: Bus): number | undefined => {
    for (let p = 1; p < bus.ports; p++) if (!bus.used.has(p)) return p;
    return undefined;
  };
  const assign = (chr: ChrDevice) => {
    const a = chr.info.address;
    if (a && (a.type !== 'virtio-serial' || a.port > 0)) return;
    const wanted = a?.type === 'virtio-serial' ? a.controller : undefined;
    for (const bus of buses) {
      if (wanted !== undefined && bus.index !== wanted) continue;
      const port = freePort(bus);
      if (port === undefined) continue;
      bus.used.add(port);
      chr.info.address = { type: 'virtio-serial', controller: bus.index, bus: 0, port };
      return;
    }
    if (wanted !== undefined) return;
    // Every bus is full: add one more controller.
    const index = buses.reduce((max, b) => Math.max(max, b.index), -1) + 1;
    const c: ControllerDef = { type: 'virtio-serial', index, info: {} };
    insertController(def, c);
    const bus: Bus = { index, ports: DEFAULT_PORTS, used: new Set() };
    buses.push(bus);
    const port = freePort(bus) ?? 1;
    bus.used.add(port);
    chr.info.address = { type: 'virtio-serial', controller: index, bus: 0, port };
  };
  // Virtio consoles are wired up by QEMU (virtconsole) without an address in the XML.
  for (const chr of d.channels) if (chr.target.type === 'virtio') assign(chr);
}
