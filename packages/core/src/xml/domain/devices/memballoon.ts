/** <memballoon>: the balloon device (model 'none' when there is none). */

import { a, onoff, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { firstChild, onOffAttr, uintAttr, type XmlElement } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const MEMBALLOON_MODELS = ['virtio', 'xen', 'none', 'virtio-transitional', 'virtio-non-transitional'] as const;
export type MemballoonModel = (typeof MEMBALLOON_MODELS)[number];

export interface MemballoonDef {
  model: MemballoonModel;
  autodeflate?: boolean;
  freePageReporting?: boolean;
  /** Statistics period in seconds. */
  period?: number;
  driver?: Partial<Record<string, string>>;
  info: DeviceInfo;
}

export function parseMemballoon(el: XmlElement, ctx: ParseContext): MemballoonDef {
  const model = el.attrs.model;
  if (model === undefined) throw xmlError('balloon memory must contain model name');
  if (!(MEMBALLOON_MODELS as readonly string[]).includes(model))
    throw xmlError(`unknown memory balloon model '${model}'`);
  const mb: MemballoonDef = {
    model: model as MemballoonModel,
    autodeflate: onOffAttr(el, 'autodeflate'),
    freePageReporting: onOffAttr(el, 'freePageReporting'),
    info: parseDeviceInfo(el, ctx, false),
  };
  const stats = firstChild(el, 'stats');
  if (stats) mb.period = uintAttr(stats, 'period');
  const driver = firstChild(el, 'driver');
  if (driver && Object.keys(driver.attrs).length) mb.driver = { ...driver.attrs };
  return mb;
}

export function formatMemballoon(w: XmlWriter, mb: MemballoonDef, ctx: FormatContext): void {
  const attrs =
    a('model', mb.model) + onoff('autodeflate', mb.autodeflate) + onoff('freePageReporting', mb.freePageReporting);
  const mark = w.openMaybe('memballoon', attrs);
  if (mb.period) w.empty('stats', a('period', mb.period));
  formatDeviceInfo(w, mb.info, ctx);
  if (mb.driver) {
    let d = '';
    for (const k in mb.driver) d += a(k, mb.driver[k]);
    w.empty('driver', d);
  }
  w.endMaybe(mark, 'memballoon', attrs, true);
}
