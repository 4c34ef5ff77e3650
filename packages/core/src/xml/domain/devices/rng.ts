/** <rng>: random number generator devices and their backends. */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { enumAttr, firstChild, textOf, uintAttr, type XmlElement } from '../util/parse.js';
import { type ChrSource, formatChrSource, parseChrSource } from './chr-source.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const RNG_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional'] as const;
export const RNG_BACKENDS = ['random', 'egd', 'builtin'] as const;

export interface RngDef {
  model: (typeof RNG_MODELS)[number];
  rate?: { bytes: number; period?: number };
  backend: { model: (typeof RNG_BACKENDS)[number]; path?: string; source?: ChrSource };
  /** <driver> options, kept as written. */
  driver?: XmlElement;
  info: DeviceInfo;
}

export function parseRng(el: XmlElement, ctx: ParseContext): RngDef {
  const model = enumAttr(el, 'model', RNG_MODELS);
  if (!model) throw xmlError('missing RNG device model');
  const backendEl = firstChild(el, 'backend');
  if (!backendEl) throw xmlError('missing RNG device backend');
  const bmodel = enumAttr(backendEl, 'model', RNG_BACKENDS);
  if (!bmodel) throw xmlError('missing RNG device backend model');
  const rng: RngDef = { model, backend: { model: bmodel }, info: parseDeviceInfo(el, ctx) };
  if (bmodel === 'random') {
    const path = textOf(backendEl).trim();
    // libvirt's default entropy source for the random backend.
    rng.backend.path = path === '' ? '/dev/random' : path;
  } else if (bmodel === 'egd') {
    if (backendEl.attrs.type === undefined) throw xmlError('missing EGD backend type');
    rng.backend.source = parseChrSource(backendEl);
  }
  const rate = firstChild(el, 'rate');
  if (rate) {
    const bytes = uintAttr(rate, 'bytes');
    if (bytes === undefined) throw xmlError('missing RNG rate bytes');
    rng.rate = { bytes, period: uintAttr(rate, 'period') };
  }
  const driver = firstChild(el, 'driver');
  if (driver) rng.driver = driver;
  return rng;
}

export function formatRng(w: XmlWriter, rng: RngDef, ctx: FormatContext): void {
  w.open('rng', a('model', rng.model));
  if (rng.rate) w.empty('rate', a('bytes', rng.rate.bytes) + a('period', rng.rate.period));
  const b = rng.backend;
  if (b.model === 'random') {
    if (b.path !== undefined) w.text('backend', b.path, " model='random'");
    else w.empty('backend', " model='random'");
  } else if (b.model === 'egd' && b.source) {
    const attrs = ` model='egd'${a('type', b.source.type)}`;
    const mark = w.openMaybe('backend', attrs);
    formatChrSource(w, b.source, ctx);
    w.endMaybe(mark, 'backend', attrs, true);
  } else {
    w.empty('backend', a('model', b.model));
  }
  if (rng.driver) w.raw(rng.driver);
  formatDeviceInfo(w, rng.info, ctx);
  w.close('rng');
}
