/** -audiodev for each <audio> backend, and the environment some backends read. */
import type { XmlElement } from '@tsvirt/core';
import { type PropBag, Props } from './props.js';
import { child } from './raw.js';
import type { BuildState } from './state.js';

const AUDIO_DRIVERS: Record<string, string> = { pulseaudio: 'pa', file: 'wav' };

const yes = (v: string | undefined) => (v === undefined ? undefined : v === 'yes');
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** One direction (<input>/<output>): the generic settings, then the backend's own. */
function direction(type: string, el: XmlElement | undefined): PropBag | undefined {
  if (!el) return undefined;
  const a = el.attrs;
  const settings = child(el, 'settings')?.attrs ?? {};
  const p = new Props()
    .set('mixing-engine', yes(a.mixingEngine))
    .set('fixed-settings', yes(a.fixedSettings))
    .set('voices', num(a.voices))
    .set('buffer-length', num(a.bufferLength))
    .set('frequency', num(settings.frequency))
    .set('channels', num(settings.channels))
    .set('format', settings.format);
  switch (type) {
    case 'alsa':
      p.set('dev', a.dev);
      break;
    case 'oss':
      p.set('dev', a.dev).set('buffer-count', num(a.bufferCount)).set('try-poll', yes(a.tryPoll));
      break;
    case 'coreaudio':
    case 'sdl':
      p.set('buffer-count', num(a.bufferCount));
      break;
    case 'pulseaudio':
    case 'pipewire':
      p.set('name', a.name).set('stream-name', a.streamName).set('latency', num(a.latency));
      break;
    case 'jack':
      p.set('server-name', a.serverName).set('client-name', a.clientName).set('connect-ports', a.connectPorts);
      p.set('exact-name', yes(a.exactName));
      break;
    default:
      break;
  }
  return Object.keys(p.bag).length ? p.bag : undefined;
}

export function buildAudio(s: BuildState): void {
  for (const a of s.def.devices.raw.audio ?? []) {
    const type = a.attrs.type ?? 'none';
    const p = new Props().set('id', `audio${a.attrs.id ?? '1'}`).set('driver', AUDIO_DRIVERS[type] ?? type);
    p.set('timer-period', num(a.attrs.timerPeriod));
    if (type === 'file') p.set('path', a.attrs.path);
    if (type === 'pulseaudio') p.set('server', a.attrs.serverName);
    if (type === 'oss') {
      p.set('try-mmap', yes(a.attrs.tryMMap)).set('exclusive', yes(a.attrs.exclusive));
      p.set('dsp-policy', num(a.attrs.dspPolicy));
    }
    p.set('in', direction(type, child(a, 'input')));
    p.set('out', direction(type, child(a, 'output')));
    s.add('-audiodev', p.json());
  }
}

/** Variables audio backends read from QEMU's environment. */
export function audioEnvironment(s: BuildState): Array<[string, string]> {
  const env: Array<[string, string]> = [];
  for (const a of s.def.devices.raw.audio ?? []) {
    if (a.attrs.type === 'sdl' && a.attrs.driver) env.push(['SDL_AUDIODRIVER', a.attrs.driver]);
    if (a.attrs.type === 'pipewire') {
      const dir = a.attrs.runtimeDir ?? s.ctx.userRuntimeDir;
      if (dir) env.push(['PIPEWIRE_RUNTIME_DIR', dir]);
    }
  }
  return env;
}
