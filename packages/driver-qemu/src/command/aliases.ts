/**
 * Device aliases (QEMU ids) in libvirt's naming: ide0-0-0, virtio-disk0, net0, video0, pci.1…
 * libvirt assigns them when a domain starts; the builder computes the same names without
 * changing the definition.
 */
import type { ControllerDef, DiskDef, DomainDef } from '@tsvirt/core';
import { rawInfo } from './raw.js';

export type AliasMap = Map<object, string>;

const DISK_PREFIXES = ['fd', 'hd', 'vd', 'sd', 'xvd', 'ubd'];

/** sda → 0, sdz → 25, sdaa → 26 (libvirt's disk name to index rule); -1 when not a disk name. */
export function diskNameToIndex(name: string): number {
  const prefix = DISK_PREFIXES.find((p) => name.startsWith(p));
  if (!prefix) return -1;
  const rest = name.slice(prefix.length);
  if (!/^[a-z]+$/.test(rest)) return -1;
  let idx = 0;
  for (const ch of rest) idx = idx * 26 + (ch.charCodeAt(0) - 96);
  return idx - 1;
}

export function controllerAlias(def: DomainDef, c: ControllerDef): string {
  // PCI buses keep QEMU's own names whatever the user alias says.
  if (c.type === 'pci') return c.index === 0 && c.model === 'pcie-root' ? 'pcie.0' : `pci.${c.index}`;
  if (c.info.alias) return c.info.alias;
  switch (c.type) {
    case 'ide':
      return c.index === 0 ? 'ide' : `ide${c.index}`;
    case 'sata':
      // The q35 built-in AHCI is QEMU's "ide" bus.
      return c.index === 0 && isQ35(def) ? 'ide' : `sata${c.index}`;
    case 'usb':
      return c.index === 0 ? 'usb' : `usb${c.index}`;
    default:
      return `${c.type}${c.index}`;
  }
}

export function isQ35(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'q35' || m.startsWith('pc-q35');
}

function diskAlias(def: DomainDef, d: DiskDef): string {
  const addr = d.info.address;
  const drive = addr?.type === 'drive' ? addr : undefined;
  switch (d.target.bus) {
    case 'ide':
      return `ide${drive?.controller ?? 0}-${drive?.bus ?? 0}-${drive?.unit ?? 0}`;
    case 'sata':
      return `sata${drive?.controller ?? 0}-${drive?.bus ?? 0}-${drive?.unit ?? 0}`;
    case 'fdc':
      return `fdc${drive?.controller ?? 0}-${drive?.bus ?? 0}-${drive?.unit ?? 0}`;
    case 'scsi': {
      const ctrl = def.devices.controllers.find((c) => c.type === 'scsi' && c.index === (drive?.controller ?? 0));
      // Only the LSI controller addresses disks without a target number.
      if (drive && ctrl?.model !== undefined && ctrl.model !== 'lsilogic')
        return `scsi${drive.controller}-${drive.bus}-${drive.target}-${drive.unit}`;
      if (drive && drive.target !== 0) return `scsi${drive.controller}-${drive.bus}-${drive.target}-${drive.unit}`;
      return `scsi${drive?.controller ?? 0}-${drive?.bus ?? 0}-${drive?.unit ?? 0}`;
    }
    case 'virtio':
      return `virtio-disk${diskNameToIndex(d.target.dev)}`;
    case 'usb':
      return `usb-disk${diskNameToIndex(d.target.dev)}`;
    case 'sd':
      return `sd-disk${diskNameToIndex(d.target.dev)}`;
    default:
      return `${d.target.bus}-disk${diskNameToIndex(d.target.dev)}`;
  }
}

export function assignAliases(def: DomainDef): AliasMap {
  const map: AliasMap = new Map();
  const d = def.devices;
  const put = (dev: object, alias: string | undefined, fallback: string): void => {
    map.set(dev, alias ?? fallback);
  };
  for (const x of d.disks) put(x, x.info.alias, diskAlias(def, x));
  for (const x of d.controllers) map.set(x, controllerAlias(def, x));
  d.filesystems.forEach((x, i) => {
    put(x, x.info?.alias, `fs${i}`);
  });
  let hostdevIdx = 0;
  d.interfaces.forEach((x, i) => {
    if (x.type === 'hostdev') put(x, x.info.alias, `hostdev${hostdevIdx++}`);
    else put(x, x.info.alias, `net${i}`);
  });
  d.sounds.forEach((x, i) => {
    put(x, x.info.alias, `sound${i}`);
  });
  d.videos.forEach((x, i) => {
    put(x, x.info.alias, `video${i}`);
  });
  d.inputs.forEach((x, i) => {
    put(x, x.info.alias, `input${i}`);
  });
  d.serials.forEach((x, i) => {
    put(x, x.info.alias, `serial${i}`);
  });
  d.parallels.forEach((x, i) => {
    put(x, x.info.alias, `parallel${i}`);
  });
  d.channels.forEach((x, i) => {
    put(x, x.info.alias, `channel${i}`);
  });
  d.consoles.forEach((x, i) => {
    // A serial-type first console is the first serial port itself.
    if (i === 0 && x.target.type === 'serial' && d.serials[0]) map.set(x, map.get(d.serials[0])!);
    else put(x, x.info.alias, `console${i}`);
  });
  d.smartcards.forEach((x, i) => {
    put(x, x.info.alias, `smartcard${i}`);
  });
  d.redirdevs.forEach((x, i) => {
    put(x, x.info.alias, `redir${i}`);
  });
  d.rngs.forEach((x, i) => {
    put(x, x.info.alias, `rng${i}`);
  });
  if (d.memballoon) put(d.memballoon, d.memballoon.info.alias, 'balloon0');
  for (const x of d.raw.hostdev ?? []) {
    const user = rawInfo(x).alias;
    map.set(x, user ?? `hostdev${hostdevIdx++}`);
  }
  return map;
}
