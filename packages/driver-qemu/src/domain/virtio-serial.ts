/**
 * virtio-serial ports for virtio consoles and channels (libvirt's
 * qemuDomainAssignVirtioSerialAddresses): consoles may take port 0, channels start at 1.
 */
import type { ChrDevice, DomainDef } from '@tsvirt/core';

export function assignVirtioSerialPorts(def: DomainDef): void {
  const d = def.devices;
  const controllers = d.controllers
    .filter((c) => c.type === 'virtio-serial')
    .map((c) => ({ index: c.index, ports: c.ports ?? 31 }))
    .sort((x, y) => x.index - y.index);
  const used = new Map<number, Set<number>>();
  const devs = [...d.consoles, ...d.channels].filter((c) => c.target.type === 'virtio');
  for (const chr of devs) {
    const a = chr.info.address;
    if (a?.type === 'virtio-serial' && a.port > 0) {
      const set = used.get(a.controller) ?? new Set<number>();
      set.add(a.port);
      used.set(a.controller, set);
    }
  }
  const assign = (chr: ChrDevice, allowZero: boolean) => {
    const a = chr.info.address;
    if (a && (a.type !== 'virtio-serial' || a.port > 0)) return;
    const wanted = a?.type === 'virtio-serial' ? a.controller : undefined;
    for (const c of controllers) {
      if (wanted !== undefined && c.index !== wanted) continue;
      const set = used.get(c.index) ?? new Set<number>();
      for (let p = allowZero ? 0 : 1; p < c.ports; p++) {
        if (set.has(p)) continue;
        set.add(p);
        used.set(c.index, set);
        chr.info.address = { type: 'virtio-serial', controller: c.index, bus: 0, port: p };
        return;
      }
    }
  };
  // The first console is the guest's main one and is wired up without an address.
  d.consoles.forEach((chr, i) => {
    if (i > 0 && chr.target.type === 'virtio') assign(chr, true);
  });
  for (const chr of d.channels) if (chr.target.type === 'virtio') assign(chr, false);
}
