/** <serial>, <parallel>, <console>, <channel>: character devices and their targets. */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { firstChild, type XmlElement } from '../util/parse.js';
import { type ChrSource, formatChrSource, parseChrSource } from './chr-source.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const CHR_DEVICE_TYPES = ['serial', 'parallel', 'console', 'channel'] as const;
export type ChrDeviceType = (typeof CHR_DEVICE_TYPES)[number];

export const SERIAL_TARGET_TYPES = [
  'isa-serial',
  'usb-serial',
  'pci-serial',
  'spapr-vio-serial',
  'system-serial',
  'sclp-serial',
  'isa-debug',
] as const;
export const CONSOLE_TARGET_TYPES = ['serial', 'xen', 'uml', 'virtio', 'lxc', 'openvz', 'sclp', 'sclplm'] as const;
export const CHANNEL_TARGET_TYPES = ['guestfwd', 'virtio', 'xen'] as const;
export const CHANNEL_STATES = ['connected', 'disconnected'] as const;

export interface ChrTarget {
  /** Target type (serial: isa-serial, ...; console: serial, virtio, ...; channel: virtio, guestfwd, xen). */
  type?: string;
  port?: number;
  /** Serial target <model name=...>. */
  model?: string;
  /** Channel name (virtio, xen). */
  name?: string;
  /** Channel guestfwd address (the port is in `port`). */
  address?: string;
  /** Channel connection state (live only). */
  state?: (typeof CHANNEL_STATES)[number];
}

export interface ChrDevice {
  deviceType: ChrDeviceType;
  source: ChrSource;
  target: ChrTarget;
  info: DeviceInfo;
}

export function parseChrDevice(el: XmlElement, deviceType: ChrDeviceType, ctx: ParseContext): ChrDevice {
  const source = parseChrSource(el);
  const target: ChrTarget = {};
  const t = firstChild(el, 'target');
  if (t) {
    const type = t.attrs.type;
    const allowed =
      deviceType === 'serial'
        ? SERIAL_TARGET_TYPES
        : deviceType === 'console'
          ? CONSOLE_TARGET_TYPES
          : deviceType === 'channel'
            ? CHANNEL_TARGET_TYPES
            : [];
    if (type !== undefined) {
      if (!(allowed as readonly string[]).includes(type))
        throw xmlError(`unknown target type '${type}' specified for character device`);
      target.type = type;
    }
    if (deviceType === 'channel') {
      if (target.type === 'guestfwd') {
        target.address = t.attrs.address;
        const port = t.attrs.port;
        if (!target.address) throw xmlError('guestfwd channel does not define a target address');
        if (port === undefined) throw xmlError('guestfwd channel does not define a target port');
        target.port = portNumber(port);
      } else {
        target.name = t.attrs.name;
        const state = t.attrs.state;
        if (state !== undefined && !ctx.inactive && (CHANNEL_STATES as readonly string[]).includes(state)) {
          target.state = state as ChrTarget['state'];
        }
      }
    } else if (t.attrs.port !== undefined) {
      target.port = portNumber(t.attrs.port);
    }
    if (deviceType === 'serial') {
      const model = firstChild(t, 'model');
      if (model?.attrs.name) target.model = model.attrs.name;
    }
  }
  if (deviceType === 'channel' && !target.type) throw xmlError('target type must be specified for channel device');
  return { deviceType, source, target, info: parseDeviceInfo(el, ctx, false) };
}

function portNumber(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw xmlError(`Invalid port number: ${text}`);
  return Number(text);
}

export function formatChrDevice(w: XmlWriter, dev: ChrDevice, ctx: FormatContext): void {
  const name = dev.deviceType;
  // The first console's pty is repeated as tty= on live XML (older clients read it there).
  const tty =
    name === 'console' && dev.source.type === 'pty' && (dev.target.port ?? 0) === 0 && !ctx.inactive
      ? dev.source.path
      : undefined;
  w.open(name, a('type', dev.source.type) + a('tty', tty));
  formatChrSource(w, dev.source, ctx);
  const t = dev.target;
  switch (name) {
    case 'serial': {
      const attrs = a('type', t.type) + a('port', t.port ?? 0);
      if (t.model) {
        w.open('target', attrs);
        w.empty('model', a('name', t.model));
        w.close('target');
      } else w.empty('target', attrs);
      break;
    }
    case 'parallel':
      w.empty('target', a('port', t.port ?? 0));
      break;
    case 'console':
      w.empty('target', a('type', t.type ?? 'serial') + a('port', t.port ?? 0));
      break;
    case 'channel':
      if (t.type === 'guestfwd') w.empty('target', ` type='guestfwd'${a('address', t.address)}${a('port', t.port)}`);
      else w.empty('target', a('type', t.type) + a('name', t.name) + a('state', ctx.inactive ? undefined : t.state));
      break;
  }
  formatDeviceInfo(w, dev.info, ctx);
  w.close(name);
}
