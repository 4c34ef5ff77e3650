/** <sound>: emulated sound cards. */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { children, firstChild, uintAttr, type XmlElement } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const SOUND_MODELS = ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7', 'virtio'] as const;
export type SoundModel = (typeof SOUND_MODELS)[number];
export const SOUND_CODECS = ['duplex', 'micro', 'output'] as const;

export interface SoundDef {
  model: SoundModel;
  codecs?: Array<(typeof SOUND_CODECS)[number]>;
  audioId?: number;
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
  const audio = firstChild(el, 'audio');
  if (audio) s.audioId = uintAttr(audio, 'id');
  return s;
}

export function formatSound(w: XmlWriter, s: SoundDef, ctx: FormatContext): void {
  const attrs = a('model', s.model);
  const mark = w.openMaybe('sound', attrs);
  for (const c of s.codecs ?? []) w.empty('codec', a('type', c));
  if (s.audioId !== undefined) w.empty('audio', a('id', s.audioId));
  formatDeviceInfo(w, s.info, ctx);
  w.endMaybe(mark, 'sound', attrs, true);
}
