/**
 * SCSI host devices without an address get the first free unit of the first SCSI controller
 * (seven units each, as on a narrow SCSI bus), and controllers are added for them as needed,
 * of the same model as the last one configured (libvirt's virDomainHostdevAssignAddress and
 * virDomainDefMaybeAddHostdevSCSIcontroller).
 */
import type { DomainDef } from '@tsvirt/core';
import { childOf, maybeAddController } from './devices-util.js';

const UNITS = 7;

export function assignScsiHostdevAddresses(def: DomainDef): void {
  const hostdevs = (def.devices.raw.hostdev ?? []).filter(
    (h) => h.attrs.mode === 'subsystem' && h.attrs.type === 'scsi',
  );
  const used = new Set<string>();
  const key = (controller: number, unit: number) => `${controller}:${unit}`;
  for (const disk of def.devices.disks) {
    const a = disk.info.address;
    if (disk.target.bus === 'scsi' && a?.type === 'drive' && a.bus === 0 && a.target === 0)
      used.add(key(a.controller, a.unit));
  }
  for (const h of hostdevs) {
    const a = childOf(h, 'address');
    if (a?.attrs.type === 'drive') used.add(key(Number(a.attrs.controller ?? '0'), Number(a.attrs.unit ?? '0')));
  }
  let maxController = -1;
  for (const h of hostdevs) {
    const existing = childOf(h, 'address');
    if (existing) {
      if (existing.attrs.type === 'drive')
        maxController = Math.max(maxController, Number(existing.attrs.controller ?? '0'));
      continue;
    }
    let controller = 0;
    let unit = 0;
    while (used.has(key(controller, unit))) {
      unit++;
      if (unit === UNITS) {
        unit = 0;
        controller++;
      }
    }
    used.add(key(controller, unit));
    maxController = Math.max(maxController, controller);
    h.nodes.push({
      name: 'address',
      attrs: { type: 'drive', controller: String(controller), bus: '0', target: '0', unit: String(unit) },
      nodes: [],
    });
  }
  const scsi = def.devices.controllers.filter((c) => c.type === 'scsi');
  const model = scsi[scsi.length - 1]?.model;
  for (let i = 0; i <= maxController; i++) maybeAddController(def, 'scsi', i, model);
}
