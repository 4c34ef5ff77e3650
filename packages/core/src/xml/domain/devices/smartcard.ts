/** <smartcard>: host reader, host certificates, or a passthrough character device. */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { children, childString, enumAttr, textOf, type XmlElement } from '../util/parse.js';
import { type ChrSource, formatChrSource, parseChrSource } from './chr-source.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const SMARTCARD_MODES = ['host', 'host-certificates', 'passthrough'] as const;
export type SmartcardMode = (typeof SMARTCARD_MODES)[number];

export interface SmartcardDef {
  mode: SmartcardMode;
  certificates?: string[];
  database?: string;
  source?: ChrSource;
  info: DeviceInfo;
}

export function parseSmartcard(el: XmlElement, ctx: ParseContext): SmartcardDef {
  const mode = enumAttr(el, 'mode', SMARTCARD_MODES);
  if (!mode) throw xmlError('missing smartcard device mode');
  const sc: SmartcardDef = { mode, info: parseDeviceInfo(el, ctx, false) };
  if (mode === 'host-certificates') {
    const certs = children(el, 'certificate').map((c) => textOf(c));
    if (certs.length !== 3) throw xmlError('host-certificates mode needs exactly three certificates');
    sc.certificates = certs;
    sc.database = childString(el, 'database');
  } else if (mode === 'passthrough') {
    if (el.attrs.type === undefined) throw xmlError('passthrough mode requires a character device type attribute');
    sc.source = parseChrSource(el);
  }
  if (sc.info.address && sc.info.address.type !== 'ccid')
    throw xmlError("Controllers must use the 'ccid' address type");
  return sc;
}

export function formatSmartcard(w: XmlWriter, sc: SmartcardDef, ctx: FormatContext): void {
  const attrs = a('mode', sc.mode) + a('type', sc.mode === 'passthrough' ? sc.source?.type : undefined);
  const mark = w.openMaybe('smartcard', attrs);
  if (sc.mode === 'host-certificates') {
    for (const c of sc.certificates ?? []) w.text('certificate', c);
    if (sc.database !== undefined) w.text('database', sc.database);
  } else if (sc.mode === 'passthrough' && sc.source) {
    formatChrSource(w, sc.source, ctx);
  }
  formatDeviceInfo(w, sc.info, ctx);
  w.endMaybe(mark, 'smartcard', attrs, true);
}
