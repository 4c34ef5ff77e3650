/** Reading device families core keeps as raw elements (watchdog, audio, hostdev, memory…). */
import type { DeviceAddress, DeviceInfo, XmlElement } from '@tsvirt/core';

export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const n of el.nodes) if (typeof n !== 'string' && n.name === name) return n;
  return undefined;
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.nodes.filter((n): n is XmlElement => typeof n !== 'string' && n.name === name);
}

export function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  return el.nodes.filter((n): n is string => typeof n === 'string').join('');
}

const num = (v: string | undefined, dflt = 0) => (v === undefined ? dflt : Number(v));

/** The <address> and <alias> of a raw device element, in core's DeviceInfo shape. */
export function rawInfo(el: XmlElement): DeviceInfo {
  const info: DeviceInfo = {};
  const a = child(el, 'address');
  if (a) {
    const t = a.attrs;
    let addr: DeviceAddress | undefined;
    switch (t.type) {
      case 'pci':
        addr = {
          type: 'pci',
          domain: num(t.domain),
          bus: num(t.bus),
          slot: num(t.slot),
          function: num(t.function),
          multifunction: t.multifunction === undefined ? undefined : t.multifunction === 'on',
        };
        break;
      case 'usb':
        addr = { type: 'usb', bus: num(t.bus), port: t.port };
        break;
      case 'isa':
        addr = {
          type: 'isa',
          iobase: t.iobase === undefined ? undefined : Number(t.iobase),
          irq: t.irq === undefined ? undefined : Number(t.irq),
        };
        break;
      case 'drive':
        addr = {
          type: 'drive',
          controller: num(t.controller),
          bus: num(t.bus),
          target: num(t.target),
          unit: num(t.unit),
        };
        break;
      default:
        break;
    }
    if (addr) info.address = addr;
  }
  const alias = child(el, 'alias');
  if (alias?.attrs.name) info.alias = alias.attrs.name;
  const rom = child(el, 'rom');
  if (rom)
    info.rom = {
      bar: rom.attrs.bar === undefined ? undefined : rom.attrs.bar === 'on',
      file: rom.attrs.file,
      enabled: rom.attrs.enabled === undefined ? undefined : rom.attrs.enabled === 'yes',
    };
  const boot = child(el, 'boot');
  if (boot?.attrs.order) info.boot = { order: Number(boot.attrs.order) };
  return info;
}
