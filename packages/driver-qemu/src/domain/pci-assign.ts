/**
 * PCI slot assignment (libvirt's qemuDomainAssignPCIAddresses): a first dry run finds which
 * PCI controllers must be added for every device to have a slot, a second run hands out the
 * slots in libvirt's fixed device order, so the same definition always gets the same layout.
 */
import type { ControllerDef, DomainDef } from '@tsvirt/core';
import { hasFlag, type QemuCaps } from '../capabilities/qemu-caps.js';
import { findController, insertController } from './devices-util.js';
import { qemuConfigError, qemuInternalError } from './errors.js';
import { isI440fx, isPcLess, isQ35, isX86 } from './machine.js';
import { Connect, controllerConnect, newBus, type PciAddr, PciAddressSet } from './pci-bus.js';
import { type ConnectContext, type PciAddressable, pciDevices } from './pci-devices.js';

const USB2_FUNCTION: Record<string, { fn: number; multi?: boolean }> = {
  'ich9-ehci1': { fn: 7 },
  'ich9-uhci1': { fn: 0, multi: true },
  'ich9-uhci2': { fn: 1 },
  'ich9-uhci3': { fn: 2 },
};

const same = (a: PciAddr, b: PciAddr) =>
  a.domain === b.domain && a.bus === b.bus && a.slot === b.slot && a.function === b.function;

export function supportsPci(def: DomainDef): boolean {
  return isX86(def) && !isPcLess(def);
}

function pciControllers(def: DomainDef): ControllerDef[] {
  return def.devices.controllers.filter((c) => c.type === 'pci');
}

const hasPcieRoot = (def: DomainDef) => findController(def, 'pci', 0)?.model === 'pcie-root';
const hasPciRoot = (def: DomainDef) => findController(def, 'pci', 0)?.model === 'pci-root';

function connectContext(def: DomainDef, caps: QemuCaps): ConnectContext {
  const pcie = (hasPcieRoot(def) ? Connect.PCIE_DEVICE : Connect.PCI_DEVICE) | Connect.AUTOASSIGN;
  const virtio = hasFlag(caps, 'virtio-pci-non-transitional') ? pcie : Connect.PCI_DEVICE | Connect.AUTOASSIGN;
  return { pcie, virtio };
}

function isPiix3Builtin(h: PciAddressable, addr: PciAddr): boolean {
  const c = h.controller;
  if (!c || addr.domain !== 0 || addr.bus !== 0 || addr.slot !== 1 || c.index !== 0) return false;
  if (c.type === 'ide') return addr.function === 1;
  if (c.type === 'usb') return (c.model === undefined || c.model === 'piix3-uhci') && addr.function === 2;
  return false;
}

function createSet(def: DomainDef, caps: QemuCaps, nbuses: number, dryRun: boolean, devices: PciAddressable[]) {
  const set = new PciAddressSet(dryRun, hasFlag(caps, 'pcie-pci-bridge'));
  const defaultModel = hasPcieRoot(def) ? 'pcie-root-port' : 'pci-bridge';
  for (let i = 0; i < nbuses; i++) {
    const c = findController(def, 'pci', i);
    set.buses.push(newBus(c?.model ?? (i === 0 ? 'pci-root' : defaultModel)));
  }
  for (const h of devices) {
    const addr = h.get();
    if (addr === undefined || addr === 'other') continue;
    if (isPiix3Builtin(h, addr)) continue;
    // In the dry run, a configured address on a bus that does not exist yet makes it exist.
    const flags = h.flags || Connect.PCI_DEVICE;
    if (dryRun) set.growTo(addr.bus, flags);
    set.checkConfigured(addr, flags);
    set.reserve(addr, flags);
  }
  return set;
}

function noSlotError(model: string | undefined) {
  return model
    ? qemuInternalError(
        `a PCI slot is needed to connect a PCI controller model='${model}', but none is available, and it cannot be automatically added`,
      )
    : qemuInternalError('No more available PCI slots');
}

function reserveNext(set: PciAddressSet, h: PciAddressable, fn = -1): PciAddr {
  const addr = set.next(h.flags, fn);
  if (!addr) throw noSlotError(h.controller?.type === 'pci' ? h.controller.model : undefined);
  set.reserve(addr, h.flags);
  if (!set.dryRun) h.set(addr);
  return addr;
}

const FIXED = Connect.AUTOASSIGN | Connect.PCI_DEVICE;

/** The devices the i440FX/PIIX3 chipset has at fixed places: IDE 1.1, USB 1.2, VGA in slot 2. */
function piix3Rules(def: DomainDef, set: PciAddressSet, devices: PciAddressable[]): void {
  const ide = { domain: 0, bus: 0, slot: 1, function: 1 };
  const usb = { domain: 0, bus: 0, slot: 1, function: 2 };
  for (const h of devices) {
    const c = h.controller;
    if (!c || c.index !== 0) continue;
    let want: PciAddr | undefined;
    let message = '';
    if (c.type === 'ide') {
      want = ide;
      message = 'Primary IDE controller must have PCI address 0:0:1.1';
    } else if (c.type === 'usb' && (c.model === undefined || c.model === 'piix3-uhci')) {
      want = usb;
      message = 'PIIX3 USB controller at index 0 must have PCI address 0:0:1.2';
    } else continue;
    const cur = h.get();
    if (cur !== undefined && cur !== 'other') {
      if (!same(cur, want)) throw qemuInternalError(message);
    } else h.set(want);
    set.reserve(want, FIXED);
  }
  set.reserve({ domain: 0, bus: 0, slot: 1, function: 0 }, FIXED);
  set.reserve({ domain: 0, bus: 0, slot: 1, function: 3 }, FIXED);
  primaryVideo(def, set, devices, 2);
}

function primaryVideo(def: DomainDef, set: PciAddressSet, devices: PciAddressable[], slot: number): void {
  const v = def.devices.videos[0];
  if (!v || v.type === 'none' || v.type === 'ramfb') return;
  const h = devices.find((x) => x.kind === 'video');
  if (!h || h.get() !== undefined) return;
  const addr = { domain: 0, bus: 0, slot, function: 0 };
  if (set.slotInUse(addr)) reserveNext(set, h);
  else {
    set.reserve(addr, FIXED);
    h.set(addr);
  }
}

/** q35's ICH9: SATA at 1f.2, ISA bridge and SMBus in slot 1f, USB2 at 1d/1a, VGA in slot 1. */
function q35Rules(def: DomainDef, set: PciAddressSet, devices: PciAddressable[]): void {
  const flags = Connect.PCIE_DEVICE;
  for (const h of devices) {
    const c = h.controller;
    if (!c) continue;
    const cur = h.get();
    if (c.type === 'sata' && c.index === 0) {
      const want = { domain: 0, bus: 0, slot: 0x1f, function: 2 };
      if (cur !== undefined && cur !== 'other') {
        if (!same(cur, want)) throw qemuInternalError('Primary SATA controller must have PCI address 0:0:1f.2');
      } else h.set(want);
    } else if (c.type === 'usb' && c.model === 'ich9-uhci1' && cur === undefined) {
      for (const slot of [0x1d, 0x1a]) {
        const addr = { domain: 0, bus: 0, slot, function: 0 };
        if (set.slotInUse(addr)) continue;
        set.reserve(addr, flags);
        h.set(addr, true);
        break;
      }
    } else if (c.type === 'pci' && c.model === 'dmi-to-pci-bridge' && cur === undefined) {
      const addr = { domain: 0, bus: 0, slot: 0x1e, function: 0 };
      if (!set.slotInUse(addr)) {
        set.reserve(addr, flags);
        h.set(addr);
      }
    }
  }
  if (set.buses.length) {
    set.reserve({ domain: 0, bus: 0, slot: 0x1f, function: 0 }, flags);
    set.reserve({ domain: 0, bus: 0, slot: 0x1f, function: 3 }, flags);
  }
  primaryVideo(def, set, devices, 1);
  const hda = { domain: 0, bus: 0, slot: 0x1b, function: 0 };
  if (!set.slotInUse(hda)) {
    const sounds = devices.filter((x) => x.kind === 'sound');
    def.devices.sounds.forEach((s, i) => {
      if (set.slotInUse(hda) || s.model !== 'ich9' || s.info.address) return;
      set.reserve(hda, flags);
      sounds[i]!.set(hda);
    });
  }
}

function chipsetRules(def: DomainDef, set: PciAddressSet, devices: PciAddressable[]): void {
  if (isI440fx(def)) piix3Rules(def, set, devices);
  if (isQ35(def)) q35Rules(def, set, devices);
}

const ORDER = [
  'fs',
  'net',
  'sound',
  'controller',
  'disk',
  'hostdev',
  'memballoon',
  'rng',
  'watchdog',
  'video',
  'shmem',
  'input',
  'serial',
  'iommu',
  'vsock',
  'memory',
  'crypto',
  'panic',
];

function wantsSlot(h: PciAddressable): boolean {
  return h.flags !== 0 && h.get() === undefined;
}

function assignSlots(def: DomainDef, set: PciAddressSet, devices: PciAddressable[]): void {
  for (const h of devices) {
    if (h.kind !== 'pci-controller' || !wantsSlot(h)) continue;
    const model = h.controller?.model;
    if (model === 'pci-root' || model === 'pcie-root') continue;
    reserveNext(set, h);
  }
  for (const kind of ORDER) {
    for (const h of devices) {
      if (h.kind !== kind || !wantsSlot(h)) continue;
      if (kind === 'controller') assignController(set, h, devices);
      else reserveNext(set, h);
    }
  }
  void def;
}

function assignController(set: PciAddressSet, h: PciAddressable, devices: PciAddressable[]): void {
  const c = h.controller!;
  if (c.type === 'fdc' || c.type === 'ccid') return;
  if (c.type === 'ide' && c.index === 0) return;
  const usb2 = c.type === 'usb' ? USB2_FUNCTION[c.model ?? ''] : undefined;
  if (!usb2) {
    reserveNext(set, h);
    return;
  }
  let found: PciAddr | undefined;
  for (const o of devices) {
    const oc = o.controller;
    if (!oc || oc.type !== 'usb' || oc.index !== c.index || !USB2_FUNCTION[oc.model ?? '']) continue;
    const a = o.get();
    if (a !== undefined && a !== 'other') {
      found = { domain: a.domain, bus: a.bus, slot: a.slot, function: a.function };
      break;
    }
  }
  if (found) {
    const addr = { ...found, function: usb2.fn };
    set.reserve(addr, h.flags);
    h.set(addr, usb2.multi);
    return;
  }
  const addr = set.next(h.flags, usb2.fn);
  if (!addr) throw qemuInternalError('No more available PCI slots');
  set.reserve(addr, h.flags);
  if (!set.dryRun) h.set(addr, usb2.multi);
}

/** Mark function 0 multifunction when other functions of its slot are used by devices. */
function setAllMulti(devices: PciAddressable[]): void {
  const used = new Map<string, number>();
  const key = (a: PciAddr) => `${a.domain}:${a.bus}:${a.slot}`;
  for (const h of devices) {
    const a = h.get();
    if (a && a !== 'other') used.set(key(a), (used.get(key(a)) ?? 0) | (1 << a.function));
  }
  for (const h of devices) {
    const a = h.get();
    if (!a || a === 'other' || a.function !== 0 || a.multifunction !== undefined) continue;
    if ((used.get(key(a)) ?? 0) & ~1) h.set(a, true);
  }
}

const MODEL_NAMES: Record<string, string> = {
  'pci-bridge': 'pci-bridge',
  'dmi-to-pci-bridge': 'i82801b11-bridge',
  'pcie-to-pci-bridge': 'pcie-pci-bridge',
  'pcie-switch-upstream-port': 'x3130-upstream',
  'pcie-switch-downstream-port': 'xio3130-downstream',
  'pci-expander-bus': 'pxb',
  'pcie-expander-bus': 'pxb-pcie',
};

function pciControllerDefaults(def: DomainDef, caps: QemuCaps): void {
  for (const c of pciControllers(def)) {
    const model = c.model ?? '';
    if (!c.modelName) {
      const name =
        model === 'pcie-root-port'
          ? hasFlag(caps, 'pcie-root-port')
            ? 'pcie-root-port'
            : 'ioh3420'
          : MODEL_NAMES[model];
      if (name) c.modelName = name;
    }
    const addr = c.info.address?.type === 'pci' ? c.info.address : undefined;
    c.target ??= {};
    const target = c.target;
    switch (model) {
      case 'pci-bridge':
        target.chassisNr ??= String(c.index);
        break;
      case 'pcie-root-port':
        target.chassis ??= String(c.index);
        if (target.port === undefined && addr) target.port = `0x${((addr.slot << 3) + addr.function).toString(16)}`;
        break;
      case 'pcie-switch-downstream-port':
        target.chassis ??= String(c.index);
        if (target.port === undefined && addr) target.port = `0x${addr.slot.toString(16)}`;
        break;
      case 'pci-expander-bus':
      case 'pcie-expander-bus':
        if (target.busNr === undefined) {
          const busNr = newBusNr(def);
          if (busNr < 0)
            throw qemuConfigError(
              `No free busNr lower than current lowest busNr is available to auto-assign to bus ${addr?.bus ?? 0}. Must be manually assigned`,
            );
          target.busNr = String(busNr);
        }
        break;
      default:
        break;
    }
    if (Object.keys(target).length === 0) delete c.target;
    if (model === 'pci-bridge' && addr && c.index <= addr.bus) {
      const hx = (n: number) => n.toString(16).padStart(2, '0');
      throw qemuConfigError(
        `PCI controller at index ${c.index} (0x${hx(c.index)}) has bus='0x${hx(addr.bus)}', but index must be larger than bus`,
      );
    }
  }
}

function newBusNr(def: DomainDef): number {
  let lowest = 256;
  for (const c of pciControllers(def)) {
    const n = c.target?.busNr === undefined ? -1 : Number(c.target.busNr);
    if (n >= 0 && n < lowest) lowest = n;
  }
  return lowest <= 2 ? -1 : lowest - 2;
}

export function assignPciAddresses(def: DomainDef, caps: QemuCaps): void {
  if (!supportsPci(def)) return;
  const ctx = connectContext(def, caps);
  let maxIdx = -1;
  for (const c of pciControllers(def)) maxIdx = Math.max(maxIdx, c.index);
  let nbuses = maxIdx + 1;
  if (nbuses > 0) {
    const devices = pciDevices(def, ctx);
    const set = createSet(def, caps, nbuses, true, devices);
    chipsetRules(def, set, devices);
    if (hasPciRoot(def) && !set.buses.every(fullyReserved)) {
      const spare = set.next(FIXED);
      if (spare) set.reserve(spare, FIXED);
    }
    assignSlots(def, set, devices);
    if (maxIdx <= 0 && set.buses.length > maxIdx + 1 && hasPcieRoot(def)) {
      const spare = set.next(Connect.PCIE_DEVICE | Connect.AUTOASSIGN);
      if (spare) set.reserve(spare, Connect.PCIE_DEVICE);
    }
    for (let i = 1; i < set.buses.length; i++) {
      if (findController(def, 'pci', i)) continue;
      const model = set.buses[i]!.model;
      const c: ControllerDef = { type: 'pci', index: i, model, info: {} };
      insertController(def, c);
      if (model === 'pci-root' || model === 'pcie-root') continue;
      const flags = controllerConnect(model);
      const addr = set.next(flags);
      if (!addr) throw noSlotError(model);
      set.reserve(addr, flags);
    }
    nbuses = set.buses.length;
  }
  const devices = pciDevices(def, ctx);
  const set = createSet(def, caps, nbuses, false, devices);
  chipsetRules(def, set, devices);
  assignSlots(def, set, devices);
  setAllMulti(devices);
  pciControllerDefaults(def, caps);
}

function fullyReserved(bus: { slots: Array<{ functions: number }>; minSlot: number; maxSlot: number }): boolean {
  for (let s = bus.minSlot; s <= bus.maxSlot; s++) if (bus.slots[s]!.functions === 0) return false;
  return true;
}
