/**
 * Every device of a definition that can sit on PCI, as one uniform handle: where its address
 * lives (typed DeviceInfo, or the <address> child of a device family core keeps as XML) and
 * how it connects (libvirt's per-device connect rules).
 */
import type { DeviceAddress, DeviceInfo, DomainDef, XmlElement } from '@tsvirt/core';
import { childOf } from './devices-util.js';
import { Connect, controllerConnect, type PciAddr } from './pci-bus.js';

export interface PciAddressable {
  /** Device family in libvirt's assignment order (see ASSIGN_ORDER). */
  kind: string;
  flags: number;
  /** The current address: a PCI one, 'other' (another bus type), or undefined (none yet). */
  get(): (PciAddr & { multifunction?: boolean }) | 'other' | undefined;
  set(addr: PciAddr, multifunction?: boolean): void;
  /** Set for controllers, to apply chipset rules. */
  controller?: { type: string; index: number; model?: string };
}

function typed(kind: string, info: DeviceInfo, flags: number): PciAddressable {
  return {
    kind,
    flags,
    get() {
      const a = info.address;
      if (!a) return undefined;
      if (a.type !== 'pci') return 'other';
      if (isZero(a)) return undefined;
      return { domain: a.domain, bus: a.bus, slot: a.slot, function: a.function, multifunction: a.multifunction };
    },
    set(addr, multifunction) {
      const a: DeviceAddress = { type: 'pci', ...addr };
      if (multifunction !== undefined) a.multifunction = multifunction;
      info.address = a;
    },
  };
}

/** <address type='pci'/> with all zeros asks for an address rather than giving one. */
const isZero = (a: PciAddr) => a.domain === 0 && a.bus === 0 && a.slot === 0 && a.function === 0;

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

function raw(kind: string, el: XmlElement, flags: number): PciAddressable {
  return {
    kind,
    flags,
    get() {
      const a = childOf(el, 'address');
      if (!a) return undefined;
      if (a.attrs.type !== 'pci') return 'other';
      const n = (k: string) => Number(a.attrs[k] ?? '0');
      const mf = a.attrs.multifunction;
      if (isZero({ domain: n('domain'), bus: n('bus'), slot: n('slot'), function: n('function') })) return undefined;
      return {
        domain: n('domain'),
        bus: n('bus'),
        slot: n('slot'),
        function: n('function'),
        multifunction: mf === undefined ? undefined : mf === 'on',
      };
    },
    set(addr, multifunction) {
      const attrs: Record<string, string> = {
        type: 'pci',
        domain: hex(addr.domain, 4),
        bus: hex(addr.bus, 2),
        slot: hex(addr.slot, 2),
        function: hex(addr.function, 1),
      };
      if (multifunction !== undefined) attrs.multifunction = multifunction ? 'on' : 'off';
      const existing = childOf(el, 'address');
      if (existing) existing.attrs = attrs;
      else el.nodes.push({ name: 'address', attrs, nodes: [] });
    },
  };
}

export interface ConnectContext {
  /** Flags of a PCI Express endpoint (plain PCI on machines without pcie-root). */
  pcie: number;
  /** Flags of a virtio device (PCIe when QEMU has non-transitional virtio devices). */
  virtio: number;
}

const PCI = Connect.PCI_DEVICE | Connect.AUTOASSIGN;

function virtioModel(model: string | undefined, ctx: ConnectContext): number {
  return model === 'virtio-transitional' ? PCI : ctx.virtio;
}

/** All PCI-capable devices, grouped and ordered as libvirt hands out slots. */
export function pciDevices(def: DomainDef, ctx: ConnectContext): PciAddressable[] {
  const d = def.devices;
  const out: PciAddressable[] = [];
  for (const c of d.controllers) {
    let flags = 0;
    switch (c.type) {
      case 'pci':
        flags = controllerConnect(c.model);
        break;
      case 'sata':
      case 'ide':
        flags = PCI;
        break;
      case 'usb':
        flags = c.model === 'nec-xhci' || c.model === 'qemu-xhci' ? ctx.pcie : c.model === 'none' ? 0 : PCI;
        break;
      case 'scsi':
        if (c.model === 'virtio-scsi' || c.model === 'virtio-non-transitional') flags = ctx.virtio;
        else if (c.model === 'ncr53c90' || c.model === undefined) flags = 0;
        else flags = PCI;
        break;
      case 'virtio-serial':
        flags = virtioModel(c.model, ctx);
        break;
      default:
        flags = 0;
    }
    const h = typed(c.type === 'pci' ? 'pci-controller' : 'controller', c.info, flags);
    h.controller = { type: c.type, index: c.index, model: c.model };
    out.push(h);
  }
  for (const fs of d.filesystems) {
    const driverType = fs.driver?.type;
    const flags =
      driverType === undefined || driverType === 'path' || driverType === 'handle' || driverType === 'virtiofs'
        ? virtioModel(fs.model, ctx)
        : 0;
    out.push(typed('fs', fs.info, flags));
  }
  for (const net of d.interfaces) {
    let flags = PCI;
    // A hostdev interface is a host device in disguise: it is placed with the other hostdevs.
    if (net.type === 'hostdev') flags = ctx.pcie;
    else if (net.model === 'usb-net') flags = 0;
    else if (net.model === 'virtio' || net.model === 'virtio-non-transitional') flags = ctx.virtio;
    else if (net.model === 'e1000e' || net.model === 'igb' || net.model === undefined) flags = ctx.pcie;
    out.push(typed(net.type === 'hostdev' ? 'hostdev' : 'net', net.info, flags));
  }
  for (const s of d.sounds) {
    const flags = ['es1370', 'ac97', 'ich6', 'ich9'].includes(s.model) ? PCI : s.model === 'virtio' ? ctx.virtio : 0;
    out.push(typed('sound', s.info, flags));
  }
  for (const disk of d.disks) {
    const flags = disk.target.bus === 'virtio' ? virtioModel(disk.model, ctx) : 0;
    out.push(typed('disk', disk.info, flags));
  }
  for (const h of d.raw.hostdev ?? []) out.push(raw('hostdev', h, hostdevFlags(h, ctx)));
  if (d.memballoon) {
    const m = d.memballoon.model;
    const flags =
      m === 'virtio-transitional' ? PCI : m === 'virtio' || m === 'virtio-non-transitional' ? ctx.virtio : 0;
    out.push(typed('memballoon', d.memballoon.info, flags));
  }
  for (const r of d.rngs) out.push(typed('rng', r.info, virtioModel(r.model, ctx)));
  for (const w of d.raw.watchdog ?? []) out.push(raw('watchdog', w, w.attrs.model === 'i6300esb' ? PCI : 0));
  for (const v of d.videos) {
    let flags = 0;
    if (v.type === 'virtio') flags = ctx.virtio;
    else if (['vga', 'cirrus', 'vmvga', 'xen', 'vbox', 'qxl', 'parallels'].includes(v.type)) flags = PCI;
    else if (v.type === 'bochs') flags = ctx.pcie;
    out.push(typed('video', v.info, flags));
  }
  for (const s of d.raw.shmem ?? []) out.push(raw('shmem', s, PCI));
  for (const i of d.inputs) out.push(typed('input', i.info, i.bus === 'virtio' ? virtioModel(i.model, ctx) : 0));
  for (const s of d.serials) out.push(typed('serial', s.info, s.target.type === 'pci-serial' ? PCI : 0));
  for (const i of d.raw.iommu ?? [])
    out.push(raw('iommu', i, i.attrs.model === 'virtio' ? ctx.virtio | Connect.INTEGRATED : 0));
  for (const v of d.raw.vsock ?? []) out.push(raw('vsock', v, virtioModel(v.attrs.model, ctx)));
  for (const m of d.raw.memory ?? []) {
    const model = m.attrs.model;
    out.push(raw('memory', m, model === 'virtio-pmem' || model === 'virtio-mem' ? ctx.virtio : 0));
  }
  for (const c of d.raw.crypto ?? []) out.push(raw('crypto', c, PCI));
  for (const p of d.raw.panic ?? [])
    out.push(raw('panic', p, p.attrs.model === 'pvpanic' ? PCI | Connect.INTEGRATED : 0));
  // Devices that never use PCI but may carry an address.
  // A serial-type console 0 is the first serial port seen again, not a device of its own.
  const consoles = d.consoles.filter((c, i) => !(i === 0 && c.target.type === 'serial' && d.serials.length > 0));
  for (const c of [...d.channels, ...consoles, ...d.parallels]) out.push(typed('chr', c.info, 0));
  for (const x of [...d.smartcards, ...d.redirdevs]) out.push(typed('other', x.info, 0));
  return out;
}

function hostdevFlags(h: XmlElement, ctx: ConnectContext): number {
  const source = childOf(h, 'source');
  const type = h.attrs.type;
  if (h.attrs.mode !== undefined && h.attrs.mode !== 'subsystem') return 0;
  if (type === 'mdev') return h.attrs.model === 'vfio-pci' ? ctx.pcie : 0;
  if (type === 'scsi_host') return virtioModel(h.attrs.model, ctx);
  if (type !== 'pci') return 0;
  void source;
  // No host to ask whether the device is PCI Express: assume it is, as libvirt does then.
  return ctx.pcie;
}
