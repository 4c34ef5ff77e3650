/** <input>: mice, keyboards, tablets and passthrough input devices. */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { elementsOf, enumAttr, type XmlElement } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const INPUT_TYPES = ['mouse', 'tablet', 'keyboard', 'passthrough', 'evdev'] as const;
export type InputType = (typeof INPUT_TYPES)[number];
export const INPUT_BUSES = ['ps2', 'usb', 'xen', 'parallels', 'virtio', 'none'] as const;
export type InputBus = (typeof INPUT_BUSES)[number];

export interface InputDef {
  type: InputType;
  bus: InputBus;
  model?: string;
  /** <source> (evdev/passthrough) and <driver>, kept as written. */
  extra?: XmlElement[];
  info: DeviceInfo;
}

/** The bus libvirt assumes when <input> names none. */
export function defaultInputBus(
  type: InputType,
  osType: string,
  arch: string | undefined,
  domainType: string,
): InputBus {
  if (type === 'passthrough') return 'virtio';
  if (type === 'evdev') return 'none';
  if (osType === 'hvm') {
    if (domainType === 'vz' || domainType === 'parallels') return 'parallels';
    const x86 = arch === undefined || arch === 'i686' || arch === 'x86_64';
    return (type === 'mouse' || type === 'keyboard') && x86 ? 'ps2' : 'usb';
  }
  if (osType === 'xen' || osType === 'linux' || osType === 'xenpvh') return 'xen';
  return 'usb';
}

export function parseInput(
  el: XmlElement,
  ctx: ParseContext,
  osType: string,
  arch: string | undefined,
  domainType: string,
): InputDef {
  const type = enumAttr(el, 'type', INPUT_TYPES);
  if (!type) throw xmlError('missing input device type');
  const bus = enumAttr(el, 'bus', INPUT_BUSES) ?? defaultInputBus(type, osType, arch, domainType);
  if (bus === 'ps2' && type !== 'mouse' && type !== 'keyboard') {
    throw xmlError(`ps2 bus does not support ${type} input device`);
  }
  const input: InputDef = { type, bus, model: el.attrs.model, info: parseDeviceInfo(el, ctx, false) };
  const extra = elementsOf(el).filter((c) => c.name === 'source' || c.name === 'driver');
  if (extra.length) input.extra = extra;
  return input;
}

export function formatInput(w: XmlWriter, input: InputDef, ctx: FormatContext): void {
  const attrs = a('type', input.type) + a('bus', input.bus) + a('model', input.model);
  const mark = w.openMaybe('input', attrs);
  for (const e of input.extra ?? []) w.raw(e);
  formatDeviceInfo(w, input.info, ctx);
  w.endMaybe(mark, 'input', attrs, true);
}
