/**
 * What every device shares: <boot>, <alias>, <master>, <rom>, <acpi> and <address>, written
 * after the device's own children in libvirt's order.
 */

import { a, onoff, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { internalError, unsupported, xmlError } from '../util/errors.js';
import { firstChild, hexOrDecAttr, onOffAttr, uintAttr, type XmlElement } from '../util/parse.js';

export const ADDRESS_TYPES = [
  'pci',
  'drive',
  'virtio-serial',
  'ccid',
  'usb',
  'spapr-vio',
  'virtio-s390',
  'ccw',
  'virtio-mmio',
  'isa',
  'dimm',
  'unassigned',
] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

export type DeviceAddress =
  | {
      type: 'pci';
      domain: number;
      bus: number;
      slot: number;
      function: number;
      multifunction?: boolean;
      zpci?: XmlElement;
    }
  | { type: 'drive'; controller: number; bus: number; target: number; unit: number }
  | { type: 'virtio-serial'; controller: number; bus: number; port: number }
  | { type: 'ccid'; controller: number; slot: number }
  | { type: 'usb'; bus: number; port?: string }
  | { type: 'ccw'; cssid: number; ssid: number; devno: number }
  | { type: 'isa'; iobase?: number; irq?: number }
  | { type: 'spapr-vio'; reg?: number }
  | { type: 'dimm'; slot: number; base?: number }
  | { type: 'virtio-s390' | 'virtio-mmio' | 'unassigned' };

export interface DeviceInfo {
  address?: DeviceAddress;
  /** Device alias; user aliases ("ua-...") survive in the persistent definition. */
  alias?: string;
  boot?: { order: number; loadparm?: string };
  rom?: { bar?: boolean; file?: string; enabled?: boolean };
  acpiIndex?: number;
  /** USB companion controllers: <master startport='N'/>. */
  masterStartport?: number;
}

const USB_PORT = /^[0-9]+(\.[0-9]+){0,3}$/;

export function parseAddress(el: XmlElement): DeviceAddress {
  const type = el.attrs.type;
  if (type === undefined) throw xmlError('No type specified for device address');
  const num = (n: string) => hexOrDecAttr(el, n);
  switch (type) {
    case 'pci': {
      const addr = {
        type,
        domain: num('domain') ?? 0,
        bus: num('bus') ?? 0,
        slot: num('slot') ?? 0,
        function: num('function') ?? 0,
        multifunction: onOffAttr(el, 'multifunction'),
      } as DeviceAddress & { type: 'pci' };
      if (addr.domain > 0xffff)
        throw xmlError(`Invalid PCI address domain='0x${addr.domain.toString(16)}', must be <= 0xFFFF`);
      if (addr.bus > 0xff) throw xmlError(`Invalid PCI address bus='0x${addr.bus.toString(16)}', must be <= 0xFF`);
      if (addr.slot > 0x1f) throw xmlError(`Invalid PCI address slot='0x${addr.slot.toString(16)}', must be <= 0x1F`);
      if (addr.function > 7)
        throw xmlError(`Invalid PCI address function=0x${addr.function.toString(16)}, must be <= 7`);
      const zpci = firstChild(el, 'zpci');
      if (zpci) addr.zpci = zpci;
      return addr;
    }
    case 'drive':
      return {
        type,
        controller: num('controller') ?? 0,
        bus: num('bus') ?? 0,
        target: num('target') ?? 0,
        unit: num('unit') ?? 0,
      };
    case 'virtio-serial':
      return { type, controller: num('controller') ?? 0, bus: num('bus') ?? 0, port: num('port') ?? 0 };
    case 'ccid':
      return { type, controller: num('controller') ?? 0, slot: num('slot') ?? 0 };
    case 'usb': {
      const port = el.attrs.port;
      if (port !== undefined && !USB_PORT.test(port)) throw internalError("Cannot parse <address> 'port' attribute");
      return { type, bus: num('bus') ?? 0, port };
    }
    case 'ccw':
      return { type, cssid: num('cssid') ?? 0xfe, ssid: num('ssid') ?? 0, devno: num('devno') ?? 0 };
    case 'isa':
      return { type, iobase: num('iobase'), irq: num('irq') };
    case 'spapr-vio':
      return { type, reg: num('reg') };
    case 'dimm':
      return { type, slot: num('slot') ?? 0, base: num('base') };
    case 'virtio-s390':
    case 'virtio-mmio':
    case 'unassigned':
      return { type };
    default:
      throw unsupported(`unknown address type '${type}'`);
  }
}

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

export function formatAddress(w: XmlWriter, addr: DeviceAddress): void {
  switch (addr.type) {
    case 'pci': {
      const attrs =
        ` type='pci' domain='${hex(addr.domain, 4)}' bus='${hex(addr.bus, 2)}' slot='${hex(addr.slot, 2)}' function='${hex(addr.function, 1)}'` +
        onoff('multifunction', addr.multifunction);
      if (addr.zpci) {
        w.open('address', attrs);
        w.raw(addr.zpci);
        w.close('address');
      } else w.empty('address', attrs);
      return;
    }
    case 'drive':
      w.empty(
        'address',
        ` type='drive' controller='${addr.controller}' bus='${addr.bus}' target='${addr.target}' unit='${addr.unit}'`,
      );
      return;
    case 'virtio-serial':
      w.empty('address', ` type='virtio-serial' controller='${addr.controller}' bus='${addr.bus}' port='${addr.port}'`);
      return;
    case 'ccid':
      w.empty('address', ` type='ccid' controller='${addr.controller}' slot='${addr.slot}'`);
      return;
    case 'usb':
      w.empty('address', ` type='usb' bus='${addr.bus}'${a('port', addr.port)}`);
      return;
    case 'ccw':
      w.empty(
        'address',
        ` type='ccw' cssid='${hex(addr.cssid, 1)}' ssid='${hex(addr.ssid, 1)}' devno='${hex(addr.devno, 4)}'`,
      );
      return;
    case 'isa':
      w.empty(
        'address',
        ` type='isa'${a('iobase', addr.iobase === undefined ? undefined : hex(addr.iobase, 1))}${a('irq', addr.irq === undefined ? undefined : hex(addr.irq, 1))}`,
      );
      return;
    case 'spapr-vio':
      w.empty('address', ` type='spapr-vio'${a('reg', addr.reg === undefined ? undefined : hex(addr.reg, 8))}`);
      return;
    case 'dimm':
      w.empty(
        'address',
        ` type='dimm' slot='${addr.slot}'${a('base', addr.base === undefined ? undefined : hex(addr.base, 1))}`,
      );
      return;
    default:
      w.empty('address', a('type', addr.type));
  }
}

/** Parse the shared children of a device element. `bootAllowed` is false for devices without <boot>. */
export function parseDeviceInfo(el: XmlElement, ctx: ParseContext, bootAllowed = true): DeviceInfo {
  const info: DeviceInfo = {};
  const addr = firstChild(el, 'address');
  if (addr) info.address = parseAddress(addr);
  const alias = firstChild(el, 'alias');
  if (alias?.attrs.name !== undefined) {
    const name = alias.attrs.name;
    // Aliases the hypervisor assigns belong to the running instance only.
    if (!ctx.inactive || name.startsWith('ua-')) info.alias = name;
  }
  const boot = bootAllowed ? firstChild(el, 'boot') : undefined;
  if (boot) {
    const order = uintAttr(boot, 'order');
    if (order === undefined) throw xmlError('missing boot order attribute');
    if (order === 0) throw xmlError(`incorrect boot order '0', expecting positive integer`);
    info.boot = { order, loadparm: parseLoadparm(boot.attrs.loadparm) };
  }
  const rom = firstChild(el, 'rom');
  if (rom)
    info.rom = {
      bar: onOffAttr(rom, 'bar'),
      file: rom.attrs.file,
      enabled: rom.attrs.enabled === undefined ? undefined : rom.attrs.enabled === 'yes',
    };
  const acpi = firstChild(el, 'acpi');
  if (acpi) info.acpiIndex = uintAttr(acpi, 'index');
  const master = firstChild(el, 'master');
  if (master) info.masterStartport = uintAttr(master, 'startport');
  return info;
}

export function formatDeviceInfo(w: XmlWriter, info: DeviceInfo | undefined, ctx: FormatContext): void {
  if (!info) return;
  if (info.boot) w.empty('boot', a('order', info.boot.order) + a('loadparm', info.boot.loadparm));
  if (info.alias !== undefined && (!ctx.inactive || info.alias.startsWith('ua-')))
    w.empty('alias', a('name', info.alias));
  if (info.masterStartport !== undefined) w.empty('master', a('startport', info.masterStartport));
  if (info.rom) {
    const r = info.rom;
    const enabled = r.enabled === undefined ? '' : r.enabled ? " enabled='yes'" : " enabled='no'";
    w.empty('rom', enabled + onoff('bar', r.bar) + a('file', r.file));
  }
  if (info.acpiIndex) w.empty('acpi', a('index', info.acpiIndex));
  if (info.address) formatAddress(w, info.address);
}

/**
 * s390 boot selectors: kept upper case, as the firmware reads them, and refused unless they are
 * one to eight letters, digits, dots or blanks.
 */
function parseLoadparm(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.replace(/[a-z]+/g, (run) => run.toUpperCase());
  if (upper.length === 0 || upper.length > 8)
    throw internalError(`loadparm value '${upper}' must be between 1 and 8 characters`);
  if (!/^[A-Z0-9. ]+$/.test(upper))
    throw internalError(`invalid loadparm value '${upper}', expecting chars in set of [a-zA-Z0-9.] and blank spaces`);
  return upper;
}
