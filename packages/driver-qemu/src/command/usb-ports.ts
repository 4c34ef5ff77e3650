/**
 * USB port assignment at start-up: devices on a USB bus without a port get the first free one,
 * looking at a hub's own ports before descending into hubs plugged into it (libvirt's order).
 */
import type { DeviceInfo, DomainDef } from '@tsvirt/core';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { rawInfo } from './raw.js';

const ROOT_PORTS: Record<string, number> = {
  'piix3-uhci': 2,
  'piix4-uhci': 2,
  'vt82c686b-uhci': 2,
  'pci-ohci': 3,
  ehci: 6,
  'ich9-ehci1': 6,
  'nec-xhci': 4,
  'qemu-xhci': 4,
  qusb1: 4,
  qusb2: 4,
};
const HUB_PORTS = 8;

interface Hub {
  ports: Array<Hub | 'used' | undefined>;
}

function newHub(n: number): Hub {
  return { ports: Array.from({ length: n }, () => undefined) };
}

function lookup(
  root: Hub,
  path: number[],
  onMissingHub?: (port: string) => never,
): { parent: Hub; index: number } | undefined {
  let hub = root;
  for (let i = 0; i < path.length - 1; i++) {
    const child = hub.ports[path[i]! - 1];
    if (!child || child === 'used') return onMissingHub ? onMissingHub(path.slice(0, i + 1).join('.')) : undefined;
    hub = child;
  }
  const index = path[path.length - 1]! - 1;
  return index < hub.ports.length ? { parent: hub, index } : undefined;
}

function findFree(hub: Hub): number[] | undefined {
  for (let i = 0; i < hub.ports.length; i++) if (hub.ports[i] === undefined) return [i + 1];
  for (let i = 0; i < hub.ports.length; i++) {
    const child = hub.ports[i];
    if (child && child !== 'used') {
      const sub = findFree(child);
      if (sub) return [i + 1, ...sub];
    }
  }
  return undefined;
}

const xmlError = (detail: string) => new VirError({ code: ErrorCode.XML_ERROR, domain: ErrorDomain.QEMU, detail });

/** The start-up USB layout: ports for devices placed by libvirt, and the hubs it adds. */
export interface UsbPortPlan {
  /** Port strings ("1", "1.2") keyed by device (or by an added hub). */
  readonly ports: Map<object, string>;
  /** Hubs libvirt adds because the devices outnumber the ports, in order (hub ids follow the defined hubs). */
  readonly addedHubs: readonly object[];
}

/**
 * Port strings ("1", "1.2") for USB devices of the definition that have none, keyed by device.
 * With `strict`, ports the definition fixes must exist and be free (libvirt's errors otherwise).
 */
export function assignUsbPorts(def: DomainDef, strict = false): UsbPortPlan {
  const out = new Map<object, string>();
  const addedHubs: object[] = [];
  const plan = { ports: out, addedHubs };
  const ctrl = def.devices.controllers.find((c) => c.type === 'usb' && c.index === 0);
  if (!ctrl || ctrl.model === 'none') return plan;
  const root = newHub(ctrl.ports ?? ROOT_PORTS[ctrl.model ?? 'piix3-uhci'] ?? 2);
  const hubs = (def.devices.raw.hub ?? []).filter((h) => h.attrs.type === 'usb');
  // libvirt's placement order: hubs, host USB devices, CCID controllers, then the rest.
  const devices: Array<{ dev: object; info: DeviceInfo; isHub: boolean }> = [
    ...hubs.map((h) => ({ dev: h as object, info: rawInfo(h), isHub: true })),
    ...(def.devices.raw.hostdev ?? [])
      .filter((h) => h.attrs.type === 'usb')
      .map((h) => ({ dev: h as object, info: rawInfo(h), isHub: false })),
    ...def.devices.controllers
      .filter((c) => c.type === 'ccid')
      .map((c) => ({ dev: c as object, info: c.info, isHub: false })),
    ...def.devices.inputs.filter((i) => i.bus === 'usb').map((i) => ({ dev: i as object, info: i.info, isHub: false })),
    ...def.devices.sounds
      .filter((x) => x.model === 'usb')
      .map((x) => ({ dev: x as object, info: x.info, isHub: false })),
    ...def.devices.disks
      .filter((d) => d.target.bus === 'usb')
      .map((d) => ({ dev: d as object, info: d.info, isHub: false })),
    ...def.devices.redirdevs.map((r) => ({ dev: r as object, info: r.info, isHub: false })),
    ...def.devices.interfaces
      .filter((n) => n.model === 'usb-net')
      .map((n) => ({ dev: n as object, info: n.info, isHub: false })),
    ...def.devices.serials
      .filter((x) => x.target.type === 'usb-serial')
      .map((x) => ({ dev: x as object, info: x.info, isHub: false })),
    ...def.devices.filesystems
      .filter((f) => f.type === 'mount' && (f.driver?.type === 'mtp' || f.info.address?.type === 'usb'))
      .map((f) => ({ dev: f as object, info: f.info, isHub: false })),
  ];
  // When the devices outnumber all ports, libvirt first adds enough 8-port hubs (each taking one
  // port itself) and places them before any device.
  const rootPorts = root.ports.length;
  const totalPorts = rootPorts + hubs.length * HUB_PORTS;
  const needing = devices.filter((d) => !d.isHub).length;
  if (needing > totalPorts) {
    const count = Math.ceil((needing - totalPorts + 1) / (HUB_PORTS - 1));
    for (let i = 0; i < count; i++) addedHubs.push({ addedUsbHub: i });
    devices.splice(hubs.length, 0, ...addedHubs.map((h) => ({ dev: h, info: {}, isHub: true })));
  }
  // Ports fixed in the definition are taken first.
  for (const d of devices) {
    const a = d.info.address;
    if (a?.type !== 'usb' || a.bus !== 0 || a.port === undefined) continue;
    const missing = strict
      ? (port: string): never => {
          throw xmlError(`there is no hub at port ${port} in USB address bus: ${a.bus} port: ${a.port}`);
        }
      : undefined;
    const spot = lookup(root, a.port.split('.').map(Number), missing);
    if (!spot) continue;
    if (strict && spot.parent.ports[spot.index] !== undefined)
      throw xmlError(`Duplicate USB address bus ${a.bus} port ${a.port}`);
    spot.parent.ports[spot.index] = d.isHub ? newHub(HUB_PORTS) : 'used';
  }
  for (const d of devices) {
    const a = d.info.address;
    if (a && (a.type !== 'usb' || a.port !== undefined)) continue;
    const path = findFree(root);
    if (!path) continue;
    const spot = lookup(root, path)!;
    spot.parent.ports[spot.index] = d.isHub ? newHub(HUB_PORTS) : 'used';
    out.set(d.dev, path.join('.'));
  }
  return plan;
}
