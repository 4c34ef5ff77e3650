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

/**
 * A <redirfilter> as libvirt writes it back: '-1' (any) is the same as leaving an attribute
 * out, and a one-digit minor version is tens of a BCD minor ('9.4' is 9.40).
 */
export function canonicalRedirFilter(el: XmlElement): XmlElement {
  const nodes = el.nodes.map((n) => {
    if (typeof n === 'string' || n.name !== 'usbdev') return n;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.attrs)) {
      if (v === '-1' && k !== 'allow') continue;
      const m = k === 'version' ? /^([0-9a-fA-F]+)\.([0-9a-fA-F])$/.exec(v) : null;
      attrs[k] = m ? `${m[1]}.${m[2]}0` : v;
    }
    return { ...n, attrs };
  });
  return { ...el, nodes };
}
