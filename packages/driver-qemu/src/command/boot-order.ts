/**
 * Boot order: <boot order='N'/> on devices, or the legacy <os><boot dev=…/> list, which libvirt
 * turns into the boot index of the first disk, cdrom, floppy or NIC of each kind.
 */
import type { DomainDef } from '@tsvirt/core';
import { rawInfo } from './raw.js';

export function bootIndexes(def: DomainDef): (dev: object) => number | undefined {
  const map = new Map<object, number>();
  const d = def.devices;
  for (const x of [...d.disks, ...d.interfaces, ...d.redirdevs]) if (x.info.boot) map.set(x, x.info.boot.order);
  for (const h of d.raw.hostdev ?? []) {
    const order = rawInfo(h).boot?.order;
    if (order !== undefined) map.set(h, order);
  }
  // Per-device boot orders replace the <os><boot> list entirely.
  if (map.size > 0) return (dev) => map.get(dev);
  (def.os.boot ?? []).forEach((kind, i) => {
    let dev: object | undefined;
    if (kind === 'hd') dev = d.disks.find((x) => (x.device === 'disk' || x.device === 'lun') && x.target.bus !== 'fdc');
    else if (kind === 'cdrom') dev = d.disks.find((x) => x.device === 'cdrom');
    else if (kind === 'fd') dev = d.disks.find((x) => x.device === 'floppy');
    else if (kind === 'network') dev = d.interfaces[0];
    if (dev && !map.has(dev)) map.set(dev, i + 1);
  });
  return (dev) => map.get(dev);
}
