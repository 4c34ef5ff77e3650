/**
 * The PCI address space of a guest while addresses are handed out: one entry per bus (a PCI
 * controller's index), each with the kinds of device it accepts and which functions of which
 * slots are taken. Mirrors the rules of libvirt's domain_addr.c in our own terms.
 */
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

/** What a device plugs in as, and what a bus accepts (bit flags). */
export const Connect = {
  PCI_DEVICE: 1 << 0,
  PCIE_DEVICE: 1 << 1,
  PCIE_ROOT_PORT: 1 << 2,
  SWITCH_UPSTREAM: 1 << 3,
  SWITCH_DOWNSTREAM: 1 << 4,
  DMI_TO_PCI: 1 << 5,
  PCIE_EXPANDER: 1 << 6,
  PCI_EXPANDER: 1 << 7,
  PCIE_TO_PCI: 1 << 8,
  PCI_BRIDGE: 1 << 9,
  /** The slot may be picked automatically (buses without it take only configured addresses). */
  AUTOASSIGN: 1 << 10,
  HOTPLUGGABLE: 1 << 11,
  /** pcie-root-ports share the functions of one slot on pcie-root. */
  AGGREGATE: 1 << 12,
  /** Built into the root bus (virtio-iommu, pvpanic): never behind a port or bridge. */
  INTEGRATED: 1 << 13,
} as const;
const TYPES_MASK = (1 << 10) - 1;
const ENDPOINTS = Connect.PCI_DEVICE | Connect.PCIE_DEVICE;

export interface PciAddr {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

interface Slot {
  functions: number;
  aggregate: boolean;
}

export interface PciBus {
  model: string;
  flags: number;
  minSlot: number;
  maxSlot: number;
  slots: Slot[];
}

function busShape(model: string): { flags: number; minSlot: number; maxSlot: number } {
  const C = Connect;
  const hot = C.HOTPLUGGABLE;
  switch (model) {
    case 'pci-root':
      return {
        flags: C.PCI_DEVICE | C.PCI_BRIDGE | C.PCI_EXPANDER | C.AUTOASSIGN | hot | C.INTEGRATED,
        minSlot: 1,
        maxSlot: 31,
      };
    case 'pci-bridge':
    case 'pcie-to-pci-bridge':
      return { flags: C.PCI_DEVICE | C.PCI_BRIDGE | C.AUTOASSIGN | hot, minSlot: 1, maxSlot: 31 };
    case 'pci-expander-bus':
      return { flags: C.PCI_DEVICE | C.PCI_BRIDGE | C.AUTOASSIGN, minSlot: 0, maxSlot: 31 };
    case 'dmi-to-pci-bridge':
      // Only bridges are placed here automatically; devices need a configured address.
      return { flags: C.PCI_DEVICE | C.PCI_BRIDGE, minSlot: 0, maxSlot: 31 };
    case 'pcie-root':
      return {
        flags: C.PCIE_DEVICE | C.PCIE_ROOT_PORT | C.DMI_TO_PCI | C.PCIE_EXPANDER | C.INTEGRATED,
        minSlot: 1,
        maxSlot: 31,
      };
    case 'pcie-expander-bus':
      return { flags: C.PCIE_ROOT_PORT, minSlot: 0, maxSlot: 31 };
    case 'pcie-root-port':
    case 'pcie-switch-downstream-port':
      return {
        flags: C.PCIE_DEVICE | C.SWITCH_UPSTREAM | C.PCIE_TO_PCI | C.AUTOASSIGN | hot,
        minSlot: 0,
        maxSlot: 0,
      };
    case 'pcie-switch-upstream-port':
      return { flags: C.SWITCH_DOWNSTREAM, minSlot: 0, maxSlot: 31 };
    default:
      return { flags: 0, minSlot: 0, maxSlot: 31 };
  }
}

/** An address as libvirt writes it in messages: 0000:00:01.0. */
export function pciAddrString(a: PciAddr): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(a.domain, 4)}:${h(a.bus, 2)}:${h(a.slot, 2)}.${a.function.toString(16)}`;
}

function doubleUse(a: PciAddr): VirError {
  return new VirError({
    code: ErrorCode.XML_ERROR,
    domain: ErrorDomain.QEMU,
    detail: `Attempted double use of PCI Address ${pciAddrString(a)}`,
  });
}

/** A configured address that does not fit its bus: an XML error naming the address. */
function badConfiguredAddress(detail: string): VirError {
  return new VirError({ code: ErrorCode.XML_ERROR, domain: ErrorDomain.DOMAIN, detail });
}

/** What a device with these connect flags is called when no bus takes it (most specific kind first). */
const CONNECT_NAMES: ReadonlyArray<readonly [number, string]> = [
  [Connect.PCI_DEVICE, 'standard PCI device'],
  [Connect.PCIE_DEVICE, 'PCI Express device'],
  [Connect.PCIE_ROOT_PORT, 'pcie-root-port'],
  [Connect.SWITCH_UPSTREAM, 'pcie-switch-upstream-port'],
  [Connect.SWITCH_DOWNSTREAM, 'pcie-switch-downstream-port'],
  [Connect.DMI_TO_PCI, 'dmi-to-pci-bridge'],
  [Connect.PCIE_TO_PCI, 'pcie-to-pci-bridge'],
  [Connect.PCI_EXPANDER, 'pci-expander-bus'],
  [Connect.PCIE_EXPANDER, 'pcie-expander-bus'],
  [Connect.PCI_BRIDGE, 'pci-bridge'],
];

export function newBus(model: string): PciBus {
  const shape = busShape(model);
  return { model, ...shape, slots: Array.from({ length: 32 }, () => ({ functions: 0, aggregate: false })) };
}

/** What a PCI controller of this model plugs into its parent as. */
export function controllerConnect(model: string | undefined): number {
  switch (model) {
    case 'pci-bridge':
      return Connect.PCI_BRIDGE;
    case 'pci-expander-bus':
      return Connect.PCI_EXPANDER;
    case 'pcie-expander-bus':
      return Connect.PCIE_EXPANDER;
    case 'dmi-to-pci-bridge':
      return Connect.DMI_TO_PCI;
    case 'pcie-to-pci-bridge':
      return Connect.PCIE_TO_PCI;
    case 'pcie-root-port':
      return Connect.PCIE_ROOT_PORT | Connect.AGGREGATE;
    case 'pcie-switch-upstream-port':
      return Connect.SWITCH_UPSTREAM;
    case 'pcie-switch-downstream-port':
      return Connect.SWITCH_DOWNSTREAM;
    default:
      return 0;
  }
}

export class PciAddressSet {
  readonly buses: PciBus[] = [];

  constructor(
    /** Growing the bus list is allowed (first pass: find which controllers to add). */
    readonly dryRun: boolean,
    readonly pcieToPciBridge: boolean,
  ) {}

  /** Whether a device with these flags may sit on the bus (configured addresses are looser). */
  compatible(bus: PciBus, devFlags: number, fromConfig: boolean): boolean {
    let busFlags = bus.flags;
    if (fromConfig && busFlags & ENDPOINTS) busFlags |= ENDPOINTS;
    if ((devFlags & busFlags & TYPES_MASK) === 0) return false;
    if (devFlags & Connect.INTEGRATED) return (busFlags & Connect.INTEGRATED) !== 0;
    if (!fromConfig && devFlags & Connect.AUTOASSIGN && !(busFlags & Connect.AUTOASSIGN)) return false;
    return true;
  }

  /**
   * Refuse an address written in the configuration that its bus cannot take: a missing bus, a
   * bus that does not accept this kind of device, an integrated device off the root bus, or a
   * slot or function out of range.
   */
  checkConfigured(addr: PciAddr, devFlags: number): void {
    const where = pciAddrString(addr);
    if (this.buses.length === 0) throw badConfiguredAddress('No PCI buses available');
    if (addr.domain !== 0) throw badConfiguredAddress(`Invalid PCI address ${where}. Only PCI domain 0 is available`);
    if (addr.bus >= this.buses.length)
      throw badConfiguredAddress(
        `Invalid PCI address ${where}. Only PCI buses up to ${this.buses.length - 1} are available`,
      );
    const bus = this.buses[addr.bus]!;
    if (devFlags & Connect.INTEGRATED && addr.bus !== 0)
      throw badConfiguredAddress(`The device at PCI address ${where} needs to be an integrated device (bus=0)`);
    // Written by hand, a PCI endpoint may go where a PCIe one would, and the reverse; a
    // pci-bridge may go wherever a PCI endpoint may.
    const busFlags = bus.flags & ENDPOINTS ? bus.flags | ENDPOINTS : bus.flags;
    const wants = devFlags & Connect.PCI_BRIDGE ? devFlags | Connect.PCI_DEVICE : devFlags;
    if ((wants & busFlags & TYPES_MASK) === 0) {
      const kind = CONNECT_NAMES.find(([flag]) => wants & flag)?.[1];
      throw badConfiguredAddress(
        `The device at PCI address ${where} cannot be plugged into the PCI controller with index='${addr.bus}'. It requires a controller that accepts a ${kind}.`,
      );
    }
    if (bus.minSlot && addr.slot < bus.minSlot)
      throw badConfiguredAddress(`Invalid PCI address ${where}. slot must be >= ${bus.minSlot}`);
    if (addr.slot > bus.maxSlot)
      throw badConfiguredAddress(`Invalid PCI address ${where}. slot must be <= ${bus.maxSlot}`);
    if (addr.function > 7) throw badConfiguredAddress(`Invalid PCI address ${where}. function must be <= 7`);
  }

  slotInUse(addr: PciAddr): boolean {
    return (this.buses[addr.bus]?.slots[addr.slot]?.functions ?? 0) !== 0;
  }

  functionInUse(addr: PciAddr): boolean {
    return ((this.buses[addr.bus]?.slots[addr.slot]?.functions ?? 0) & (1 << addr.function)) !== 0;
  }

  reserve(addr: PciAddr, flags: number): void {
    const slot = this.buses[addr.bus]?.slots[addr.slot];
    if (!slot) return;
    if (slot.functions & (1 << addr.function)) throw doubleUse(addr);
    slot.functions |= 1 << addr.function;
    if (flags & Connect.AGGREGATE) slot.aggregate = true;
  }

  /** The first free slot (or aggregatable function) fit for the flags; grows the set in a dry run. */
  next(flags: number, fn = -1): PciAddr | undefined {
    for (let b = 0; b < this.buses.length; b++) {
      const bus = this.buses[b]!;
      if (!this.compatible(bus, flags, false)) continue;
      for (let s = bus.minSlot; s <= bus.maxSlot; s++) {
        const slot = bus.slots[s]!;
        if (slot.functions === 0) return { domain: 0, bus: b, slot: s, function: fn < 0 ? 0 : fn };
        if (flags & Connect.AGGREGATE && slot.aggregate && fn < 0) {
          for (let f = 0; f < 8; f++)
            if (!(slot.functions & (1 << f))) return { domain: 0, bus: b, slot: s, function: f };
        }
      }
    }
    if (!this.dryRun) return undefined;
    const bus = this.grow(flags);
    if (bus === undefined) return undefined;
    return { domain: 0, bus, slot: this.buses[bus]!.minSlot, function: fn < 0 ? 0 : fn };
  }

  /** Grow (dry run only) until bus `index` exists, with buses fit for a device with these flags. */
  growTo(index: number, flags: number): void {
    while (this.dryRun && this.buses.length <= index) {
      if (this.grow(flags) === undefined) return;
    }
  }

  /** Add the buses a device with these flags needs; returns the bus it goes on. */
  private grow(flags: number): number | undefined {
    const pcieRoot = this.buses[0]?.model === 'pcie-root';
    const add: string[] = [];
    if (flags & Connect.PCI_DEVICE) {
      const hasPciBus = this.buses.some((b) => b.flags & Connect.PCI_BRIDGE);
      if (hasPciBus || !pcieRoot) add.push('pci-bridge');
      else if (this.pcieToPciBridge) add.push('pcie-root-port', 'pcie-to-pci-bridge');
      else add.push('dmi-to-pci-bridge', 'pci-bridge');
    } else if (flags & (Connect.PCIE_DEVICE | Connect.SWITCH_UPSTREAM | Connect.PCIE_TO_PCI) && pcieRoot) {
      add.push('pcie-root-port');
    } else {
      return undefined;
    }
    for (const m of add) this.buses.push(newBus(m));
    return this.buses.length - 1;
  }
}
