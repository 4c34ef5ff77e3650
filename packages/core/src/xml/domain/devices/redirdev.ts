/** <redirdev> (USB redirection over a character device) and <redirfilter>. */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import type { XmlElement } from '../util/parse.js';
import { type ChrSource, formatChrSource, parseChrSource } from './chr-source.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export interface RedirdevDef {
  bus: 'usb';
  source: ChrSource;
  info: DeviceInfo;
}

export function parseRedirdev(el: XmlElement, ctx: ParseContext): RedirdevDef {
  const bus = el.attrs.bus ?? 'usb';
  if (bus !== 'usb') throw xmlError(`unknown redirdev bus '${bus}'`);
  if (el.attrs.type === undefined) throw xmlError('missing type in redirdev');
  return { bus: 'usb', source: parseChrSource(el), info: parseDeviceInfo(el, ctx) };
}

export function formatRedirdev(w: XmlWriter, r: RedirdevDef, ctx: FormatContext): void {
  const attrs = a('bus', r.bus) + a('type', r.source.type);
  const mark = w.openMaybe('redirdev', attrs);
  formatChrSource(w, r.source, ctx);
  formatDeviceInfo(w, r.info, ctx);
  w.endMaybe(mark, 'redirdev', attrs, true);
}
