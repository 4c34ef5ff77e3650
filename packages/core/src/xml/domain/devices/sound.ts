/** <sound>: emulated sound cards. */

import { a, type XmlWriter, yn } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { children, firstChild, uintAttr, type XmlElement, yesNoAttr } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const SOUND_MODELS = ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7', 'virtio'] as const;
export type SoundModel = (typeof SOUND_MODELS)[number];
export const SOUND_CODECS = ['duplex', 'micro', 'output'] as const;

export interface SoundDef {
  model: SoundModel;
  codecs?: Array<(typeof SOUND_CODECS)[number]>;
  audioId?: number;
  /** virtio: the number of PCM streams (libvirt fills in 2). */
  streams?: number;
  /** usb: a multichannel-capable device. */
  multichannel?: boolean;
  /** virtio transport options on <driver>, kept as written. */
  driver?: XmlElement;
  info: DeviceInfo;
}

export function parseSound(el: XmlElement, ctx: ParseContext): SoundDef {
  const model = el.attrs.model;
  if (model === undefined) throw xmlError('missing sound model');
  if (!(SOUND_MODELS as readonly string[]).includes(model)) throw xmlError(`unknown sound model '${model}'`);
  const s: SoundDef = { model: model as SoundModel, info: parseDeviceInfo(el, ctx, false) };
  const codecs = children(el, 'codec').map((c) => {
    const t = c.attrs.type;
    if (!t || !(SOUND_CODECS as readonly string[]).includes(t)) throw xmlError(`unknown codec type '${t ?? ''}'`);
    return t as (typeof SOUND_CODECS)[number];
  });
  if (codecs.length) s.codecs = codecs;
  s.streams = uintAttr(el, 'streams');
  if (s.model === 'virtio' && s.streams === undefined) s.streams = 2;
  s.multichannel = yesNoAttr(el, 'multichannel');
  const driver = firstChild(el, 'driver');
  if (driver && Object.keys(driver.attrs).length) s.driver = driver;
  const audio = firstChild(el, 'audio');
  if (audio) s.audioId = uintAttr(audio, 'id');
  return s;
}

export function formatSound(w: XmlWriter, s: SoundDef, ctx: FormatContext): void {
  const attrs = a('model', s.model) + a('streams', s.streams) + yn('multichannel', s.multichannel);
  const mark = w.openMaybe('sound', attrs);
  for (const c of s.codecs ?? []) w.empty('codec', a('type', c));
  if (s.audioId !== undefined) w.empty('audio', a('id', s.audioId));
  formatDeviceInfo(w, s.info, ctx);
  if (s.driver) w.raw(s.driver);
  w.endMaybe(mark, 'sound', attrs, true);
}
