/** <vcpu>, <vcpus> (individual vCPU state), <iothreads>, <iothreadids>. */

import { a, type XmlWriter, yn } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { canonicalBitmap } from './util/bitmap.js';
import { unsupported, xmlError } from './util/errors.js';
import {
  children,
  enumAttr,
  firstChild,
  intAttr,
  isUint,
  requiredAttr,
  textOf,
  u64Attr,
  uintAttr,
  type XmlElement,
  yesNoAttr,
} from './util/parse.js';

export const CPU_PLACEMENTS = ['static', 'auto'] as const;
export type CpuPlacement = (typeof CPU_PLACEMENTS)[number];

export interface VcpuConfig {
  /** Maximum vCPUs (the element's text); 1 when absent. */
  count: number;
  /** vCPUs online at boot, when fewer than count. */
  current?: number;
  placement?: CpuPlacement;
  cpuset?: string;
}

export interface VcpuState {
  id: number;
  enabled: boolean;
  hotpluggable?: boolean;
  order?: number;
}

export interface IOThreadId {
  id: number;
  threadPoolMin?: number;
  threadPoolMax?: number;
  poll?: { max?: string; grow?: number; shrink?: number };
  /** Filled in to reach the <iothreads> count rather than written by the user. */
  autofill?: boolean;
}

export function parseVcpu(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const el = firstChild(root, 'vcpu');
  const vcpu: VcpuConfig = { count: 1 };
  if (el) {
    const text = textOf(el).trim();
    if (text !== '') {
      if (!isUint(text)) throw xmlError('maximum vcpus count must be an integer');
      vcpu.count = Number(text);
    }
    const cur = el.attrs.current;
    if (cur !== undefined) {
      if (!isUint(cur)) throw xmlError('current vcpus count must be an integer');
      const current = Number(cur);
      if (current > vcpu.count) throw unsupported('maximum vCPU count must not be less than current vCPU count');
      if (current !== vcpu.count) vcpu.current = current;
    }
    const placement = enumAttr(el, 'placement', CPU_PLACEMENTS);
    if (placement) vcpu.placement = placement;
    const cpuset = el.attrs.cpuset;
    if (cpuset !== undefined && placement !== 'auto') vcpu.cpuset = canonicalBitmap(cpuset, 'cpuset');
  }
  def.vcpu = vcpu;

  const vcpusEl = firstChild(root, 'vcpus');
  if (vcpusEl) def.vcpus = parseIndividualVcpus(vcpusEl, vcpu);

  parseIOThreads(root, def);
}

function parseIndividualVcpus(el: XmlElement, vcpu: VcpuConfig): VcpuState[] {
  const list: VcpuState[] = [];
  for (let i = 0; i < vcpu.count; i++) list.push({ id: i, enabled: true });
  const seen = new Set<number>();
  for (const v of children(el, 'vcpu')) {
    const id = uintAttr(v, 'id');
    if (id === undefined) throw xmlError('missing vcpu id');
    if (id >= vcpu.count) throw xmlError(`vcpu id '${id}' is out of range of maximum vcpu count`);
    if (seen.has(id)) throw xmlError(`duplicate vcpu id '${id}'`);
    seen.add(id);
    const enabled = yesNoAttr(v, 'enabled');
    if (enabled === undefined) throw xmlError('missing vcpu enabled state');
    list[id] = { id, enabled, hotpluggable: yesNoAttr(v, 'hotpluggable'), order: uintAttr(v, 'order') };
  }
  const online = list.filter((v) => v.enabled).length;
  if (online !== vcpu.count) vcpu.current = online;
  else delete vcpu.current;
  return list;
}

function parseIOThreads(root: XmlElement, def: DomainDef): void {
  const countText = firstChild(root, 'iothreads');
  let count = 0;
  if (countText) {
    const t = textOf(countText).trim();
    if (!isUint(t)) throw xmlError(`invalid iothreads count '${t}'`);
    count = Number(t);
  }
  const ids: IOThreadId[] = [];
  const idsEl = firstChild(root, 'iothreadids');
  for (const it of idsEl ? children(idsEl, 'iothread') : []) {
    const idText = requiredAttr(it, 'id');
    const id = isUint(idText) ? Number(idText) : 0;
    if (id === 0) throw xmlError(`invalid iothread 'id' value '${idText}'`);
    if (ids.some((x) => x.id === id)) throw xmlError(`duplicate iothread id '${id}' found`);
    const entry: IOThreadId = { id };
    const min = intAttr(it, 'thread_pool_min');
    const max = intAttr(it, 'thread_pool_max');
    if (min !== undefined) entry.threadPoolMin = min;
    if (max !== undefined) entry.threadPoolMax = max;
    const poll = firstChild(it, 'poll');
    if (poll)
      entry.poll = { max: u64Attr(poll, 'max'), grow: uintAttr(poll, 'grow'), shrink: uintAttr(poll, 'shrink') };
    ids.push(entry);
  }
  if (ids.length > count) count = ids.length;
  // Fill in ids up to the requested count with the lowest free numbers.
  let next = 1;
  while (ids.length < count) {
    while (ids.some((x) => x.id === next)) next++;
    ids.push({ id: next, autofill: true });
  }
  if (count > 0) {
    def.iothreads = count;
    def.iothreadids = ids;
  }
}

export function formatVcpu(w: XmlWriter, def: DomainDef, _ctx: FormatContext): void {
  const v = def.vcpu;
  const current = v.current !== undefined && v.current !== v.count ? v.current : undefined;
  w.text(
    'vcpu',
    String(v.count),
    a('placement', v.placement ?? 'static') +
      a('cpuset', v.placement === 'auto' ? undefined : v.cpuset) +
      a('current', current),
  );
  if (def.vcpus) {
    w.open('vcpus');
    for (const c of def.vcpus) {
      w.empty(
        'vcpu',
        a('id', c.id) +
          yn('enabled', c.enabled) +
          yn('hotpluggable', c.hotpluggable) +
          a('order', c.order || undefined),
      );
    }
    w.close('vcpus');
  }
}

export function formatIOThreads(w: XmlWriter, def: DomainDef): void {
  if (!def.iothreads) return;
  w.text('iothreads', String(def.iothreads));
  const ids = def.iothreadids ?? [];
  if (!ids.some((t) => !t.autofill)) return;
  w.open('iothreadids');
  for (const t of ids) {
    const attrs = a('id', t.id) + a('thread_pool_min', t.threadPoolMin) + a('thread_pool_max', t.threadPoolMax);
    const p = t.poll;
    if (p && (p.max !== undefined || p.grow !== undefined || p.shrink !== undefined)) {
      w.open('iothread', attrs);
      w.empty('poll', a('max', p.max) + a('grow', p.grow) + a('shrink', p.shrink));
      w.close('iothread');
    } else {
      w.empty('iothread', attrs);
    }
  }
  w.close('iothreadids');
}
