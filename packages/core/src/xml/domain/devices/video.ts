/** <video>: the guest's display adapter. */

import { a, onoff, type XmlWriter, yn } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { firstChild, onOffAttr, uintAttr, type XmlElement, yesNoAttr } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const VIDEO_TYPES = [
  'default',
  'vga',
  'cirrus',
  'vmvga',
  'xen',
  'vbox',
  'qxl',
  'parallels',
  'virtio',
  'gop',
  'none',
  'bochs',
  'ramfb',
] as const;
export type VideoType = (typeof VIDEO_TYPES)[number];

export interface VideoDef {
  type: VideoType;
  /** KiB. */
  ram?: number;
  vram?: number;
  vram64?: number;
  vgamem?: number;
  heads?: number;
  primary?: boolean;
  /** virtio: blob resources (on/off). */
  blob?: boolean;
  acceleration?: { accel3d?: boolean; accel2d?: boolean; rendernode?: string };
  resolution?: { x: number; y: number };
  driver?: Partial<Record<string, string>>;
  info: DeviceInfo;
}

/** Video RAM libvirt assumes for a model when none is given (KiB). */
export function defaultVideoRam(domainType: string, type: VideoType): number | undefined {
  switch (type) {
    case 'vga':
    case 'cirrus':
    case 'vmvga':
      return domainType === 'vbox' ? 8 * 1024 : domainType === 'vmware' ? 4 * 1024 : 16 * 1024;
    case 'bochs':
      return 16 * 1024;
    case 'xen':
      return 4 * 1024;
    case 'qxl':
      return 64 * 1024;
    default:
      return undefined;
  }
}

/** The model libvirt picks when <video> names none, from the domain type. */
export function defaultVideoType(domainType: string, osType: string, arch: string | undefined): VideoType {
  switch (domainType) {
    case 'test':
    case 'xen':
      if (osType === 'xen' || osType === 'linux' || osType === 'xenpvh') return 'xen';
      return arch === 'ppc64' || arch === 'ppc64le' ? 'vga' : 'cirrus';
    case 'vbox':
      return 'vbox';
    case 'phyp':
      return 'vga';
    case 'vz':
    case 'parallels':
      return osType === 'hvm' ? 'vga' : 'parallels';
    case 'bhyve':
      return 'gop';
    default:
      return 'default';
  }
}

export function parseVideo(el: XmlElement, ctx: ParseContext): VideoDef {
  const model = firstChild(el, 'model');
  const v: VideoDef = { type: 'default', info: parseDeviceInfo(el, ctx, false) };
  if (model) {
    const t = model.attrs.type;
    if (t !== undefined) {
      if (!(VIDEO_TYPES as readonly string[]).includes(t)) throw xmlError(`unknown video model '${t}'`);
      v.type = t as VideoType;
    }
    v.ram = uintAttr(model, 'ram');
    v.vram = uintAttr(model, 'vram');
    v.vram64 = uintAttr(model, 'vram64');
    v.vgamem = uintAttr(model, 'vgamem');
    v.heads = uintAttr(model, 'heads');
    v.primary = yesNoAttr(model, 'primary') || undefined;
    v.blob = onOffAttr(model, 'blob');
    const acc = firstChild(model, 'acceleration');
    if (acc)
      v.acceleration = {
        accel3d: yesNoAttr(acc, 'accel3d'),
        accel2d: yesNoAttr(acc, 'accel2d'),
        rendernode: acc.attrs.rendernode,
      };
    const res = firstChild(model, 'resolution');
    if (res) {
      const x = uintAttr(res, 'x');
      const y = uintAttr(res, 'y');
      if (x === undefined || y === undefined) throw xmlError('missing values for resolution');
      v.resolution = { x, y };
    }
  }
  const driver = firstChild(el, 'driver');
  if (driver && Object.keys(driver.attrs).length) v.driver = { ...driver.attrs };
  return v;
}

export function formatVideo(w: XmlWriter, v: VideoDef, ctx: FormatContext): void {
  w.open('video');
  if (v.driver) {
    let d = '';
    for (const k in v.driver) d += a(k, v.driver[k]);
    w.empty('driver', d);
  }
  const attrs =
    a('type', v.type) +
    a('ram', v.ram) +
    a('vram', v.vram) +
    a('vram64', v.vram64) +
    a('vgamem', v.vgamem) +
    a('heads', v.heads) +
    (v.primary ? " primary='yes'" : '') +
    onoff('blob', v.blob);
  if (v.acceleration || v.resolution) {
    w.open('model', attrs);
    if (v.acceleration) {
      const acc = v.acceleration;
      w.empty(
        'acceleration',
        yn('accel3d', acc.accel3d) + yn('accel2d', acc.accel2d) + a('rendernode', acc.rendernode),
      );
    }
    if (v.resolution) w.empty('resolution', a('x', v.resolution.x) + a('y', v.resolution.y));
    w.close('model');
  } else {
    w.empty('model', attrs);
  }
  formatDeviceInfo(w, v.info, ctx);
  w.close('video');
}
