/** <on_poweroff>, <on_reboot>, <on_crash>, <on_lockfailure>, <pm> and <perf>. */

import { a, type XmlWriter, yn } from '../writer.js';
import type { ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlError } from './util/errors.js';
import { children, childString, firstChild, type XmlElement, yesNoAttr } from './util/parse.js';

export const LIFECYCLE_ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];
export const CRASH_ACTIONS = [...LIFECYCLE_ACTIONS, 'coredump-destroy', 'coredump-restart'] as const;
export type CrashAction = (typeof CRASH_ACTIONS)[number];
export const LOCKFAILURE_ACTIONS = ['poweroff', 'restart', 'pause', 'ignore'] as const;
export type LockFailureAction = (typeof LOCKFAILURE_ACTIONS)[number];

export const PERF_EVENTS = [
  'cmt',
  'mbmt',
  'mbml',
  'cpu_cycles',
  'instructions',
  'cache_references',
  'cache_misses',
  'branch_instructions',
  'branch_misses',
  'bus_cycles',
  'stalled_cycles_frontend',
  'stalled_cycles_backend',
  'ref_cpu_cycles',
  'cpu_clock',
  'task_clock',
  'page_faults',
  'context_switches',
  'cpu_migrations',
  'page_faults_min',
  'page_faults_maj',
  'alignment_faults',
  'emulation_faults',
] as const;

export interface Lifecycle {
  onPoweroff: LifecycleAction;
  onReboot: LifecycleAction;
  onCrash: CrashAction;
  onLockfailure?: LockFailureAction;
}

function action<T extends string>(root: XmlElement, name: string, values: readonly T[], dflt: T): T {
  const v = childString(root, name);
  if (v === undefined) return dflt;
  if (!(values as readonly string[]).includes(v)) throw unsupported(`unknown ${name} action: ${v}`);
  return v as T;
}

export function parseLifecycle(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  def.lifecycle = {
    onPoweroff: action(root, 'on_poweroff', LIFECYCLE_ACTIONS, 'destroy'),
    onReboot: action(root, 'on_reboot', LIFECYCLE_ACTIONS, 'restart'),
    onCrash: action(root, 'on_crash', CRASH_ACTIONS, 'destroy'),
  };
  const lf = childString(root, 'on_lockfailure');
  if (lf !== undefined) def.lifecycle.onLockfailure = action(root, 'on_lockfailure', LOCKFAILURE_ACTIONS, 'poweroff');

  const pm = firstChild(root, 'pm');
  if (pm) {
    const mem = firstChild(pm, 'suspend-to-mem');
    const disk = firstChild(pm, 'suspend-to-disk');
    def.pm = {
      suspendToMem: mem ? yesNoAttr(mem, 'enabled') : undefined,
      suspendToDisk: disk ? yesNoAttr(disk, 'enabled') : undefined,
    };
  }
  const perf = firstChild(root, 'perf');
  if (perf) {
    const events: Array<{ name: string; enabled: boolean }> = [];
    for (const e of children(perf, 'event')) {
      const name = e.attrs.name;
      if (!name || !(PERF_EVENTS as readonly string[]).includes(name))
        throw xmlError(`unknown perf event '${name ?? ''}'`);
      const enabled = yesNoAttr(e, 'enabled');
      if (enabled === undefined) throw xmlError('missing state of perf event');
      if (events.some((x) => x.name === name)) continue;
      events.push({ name, enabled });
    }
    def.perf = events;
  }
}

export function formatLifecycle(w: XmlWriter, def: DomainDef): void {
  const l = def.lifecycle ?? { onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy' };
  w.text('on_poweroff', l.onPoweroff);
  w.text('on_reboot', l.onReboot);
  w.text('on_crash', l.onCrash);
  if (l.onLockfailure) w.text('on_lockfailure', l.onLockfailure);
}

export function formatPm(w: XmlWriter, def: DomainDef): void {
  const pm = def.pm;
  if (!pm || (pm.suspendToMem === undefined && pm.suspendToDisk === undefined)) return;
  w.open('pm');
  if (pm.suspendToMem !== undefined) w.empty('suspend-to-mem', yn('enabled', pm.suspendToMem));
  if (pm.suspendToDisk !== undefined) w.empty('suspend-to-disk', yn('enabled', pm.suspendToDisk));
  w.close('pm');
}

export function formatPerf(w: XmlWriter, def: DomainDef): void {
  if (!def.perf?.length) return;
  w.open('perf');
  // libvirt lists events in its own order, whatever order they were given in.
  const order = (n: string) => (PERF_EVENTS as readonly string[]).indexOf(n);
  for (const e of [...def.perf].sort((x, y) => order(x.name) - order(y.name))) {
    w.empty('event', a('name', e.name) + yn('enabled', e.enabled));
  }
  w.close('perf');
}
