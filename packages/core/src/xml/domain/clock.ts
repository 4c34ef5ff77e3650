/** <clock>: guest time offset and timers. */

import { a, type XmlWriter, yn } from '../writer.js';
import type { ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlError } from './util/errors.js';
import { children, enumAttr, firstChild, intAttr, uintAttr, type XmlElement, yesNoAttr } from './util/parse.js';

export const CLOCK_OFFSETS = ['utc', 'localtime', 'variable', 'timezone', 'absolute'] as const;
export type ClockOffset = (typeof CLOCK_OFFSETS)[number];
export const CLOCK_BASES = ['utc', 'localtime'] as const;
export const TIMER_NAMES = ['platform', 'pit', 'rtc', 'hpet', 'tsc', 'kvmclock', 'hypervclock', 'armvtimer'] as const;
export const TIMER_TICKPOLICIES = ['delay', 'catchup', 'merge', 'discard'] as const;
export const TIMER_TRACKS = ['boot', 'guest', 'wall', 'realtime'] as const;
export const TIMER_MODES = ['auto', 'native', 'emulate', 'paravirt', 'smpsafe'] as const;

export interface ClockTimer {
  name: (typeof TIMER_NAMES)[number];
  present?: boolean;
  tickpolicy?: (typeof TIMER_TICKPOLICIES)[number];
  track?: (typeof TIMER_TRACKS)[number];
  frequency?: number;
  mode?: (typeof TIMER_MODES)[number];
  catchup?: { threshold?: number; slew?: number; limit?: number };
}

export interface ClockDef {
  offset: ClockOffset;
  /** Seconds, or 'reset' for utc/localtime. */
  adjustment?: number | 'reset';
  basis?: (typeof CLOCK_BASES)[number];
  timezone?: string;
  start?: number;
  timers: ClockTimer[];
}

export function parseClock(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const el = firstChild(root, 'clock');
  const clock: ClockDef = { offset: 'utc', timers: [] };
  if (el) {
    const off = el.attrs.offset;
    if (off !== undefined) {
      if (!(CLOCK_OFFSETS as readonly string[]).includes(off)) throw xmlError(`unknown clock offset '${off}'`);
      clock.offset = off as ClockOffset;
    }
    const adj = el.attrs.adjustment;
    switch (clock.offset) {
      case 'utc':
      case 'localtime':
        if (adj === 'reset') clock.adjustment = 'reset';
        else if (adj !== undefined) {
          const n = intAttr(el, 'adjustment');
          // A numeric adjustment on utc/localtime is the older spelling of 'variable'.
          clock.basis = clock.offset;
          clock.offset = 'variable';
          clock.adjustment = n;
        }
        break;
      case 'variable':
        clock.adjustment = adj === undefined ? 0 : intAttr(el, 'adjustment');
        clock.basis = enumAttr(el, 'basis', CLOCK_BASES) ?? 'utc';
        break;
      case 'timezone':
        clock.timezone = el.attrs.timezone;
        if (!clock.timezone) throw xmlError('missing timezone for timezone offset');
        break;
      case 'absolute':
        clock.start = uintAttr(el, 'start');
        if (clock.start === undefined) throw xmlError("missing 'start' attribute for absolute clock offset");
        break;
    }
    for (const t of children(el, 'timer')) {
      const name = t.attrs.name;
      if (name === undefined) throw xmlError('missing timer name');
      if (!(TIMER_NAMES as readonly string[]).includes(name)) throw xmlError(`unknown timer name '${name}'`);
      const timer: ClockTimer = {
        name: name as ClockTimer['name'],
        present: yesNoAttr(t, 'present'),
        tickpolicy: enumAttr(t, 'tickpolicy', TIMER_TICKPOLICIES),
        track: enumAttr(t, 'track', TIMER_TRACKS),
        frequency: uintAttr(t, 'frequency'),
        mode: enumAttr(t, 'mode', TIMER_MODES),
      };
      if (timer.track && name !== 'rtc') throw unsupported(`track attribute is only valid for RTC timer`);
      const cu = firstChild(t, 'catchup');
      if (cu)
        timer.catchup = {
          threshold: uintAttr(cu, 'threshold'),
          slew: uintAttr(cu, 'slew'),
          limit: uintAttr(cu, 'limit'),
        };
      clock.timers.push(timer);
    }
  }
  def.clock = clock;
}

export function formatClock(w: XmlWriter, def: DomainDef): void {
  const c = def.clock ?? { offset: 'utc', timers: [] };
  let attrs = a('offset', c.offset);
  switch (c.offset) {
    case 'utc':
    case 'localtime':
      if (c.adjustment === 'reset') attrs += " adjustment='reset'";
      break;
    case 'variable':
      attrs += a('adjustment', typeof c.adjustment === 'number' ? c.adjustment : 0) + a('basis', c.basis ?? 'utc');
      break;
    case 'timezone':
      attrs += a('timezone', c.timezone);
      break;
    case 'absolute':
      attrs += a('start', c.start);
      break;
  }
  if (c.timers.length === 0) {
    w.empty('clock', attrs);
    return;
  }
  w.open('clock', attrs);
  for (const t of c.timers) {
    const tattrs =
      a('name', t.name) +
      yn('present', t.present) +
      a('tickpolicy', t.tickpolicy) +
      a('track', t.track) +
      a('frequency', t.frequency) +
      a('mode', t.mode);
    const cu = t.catchup;
    if (cu && (cu.threshold !== undefined || cu.slew !== undefined || cu.limit !== undefined)) {
      w.open('timer', tattrs);
      w.empty('catchup', a('threshold', cu.threshold) + a('slew', cu.slew) + a('limit', cu.limit));
      w.close('timer');
    } else {
      w.empty('timer', tattrs);
    }
  }
  w.close('clock');
}
