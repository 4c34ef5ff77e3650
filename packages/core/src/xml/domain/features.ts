/**
 * <features>: hypervisor features, written in libvirt's fixed feature order. Most are a switch
 * with a few attributes; the nested ones (hyperv, kvm, xen, capabilities, tcg, hpt) keep their
 * sub-elements as written.
 */

import { a, type XmlWriter } from '../writer.js';
import type { ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { elementsOf, firstChild, textOf, type XmlElement } from './util/parse.js';
import { scaledBytes } from './util/units.js';

/** Every feature libvirt knows, in the order it writes them. */
export const FEATURE_NAMES = [
  'acpi',
  'apic',
  'pae',
  'hap',
  'viridian',
  'privnet',
  'hyperv',
  'kvm',
  'pvspinlock',
  'capabilities',
  'pmu',
  'vmport',
  'gic',
  'smm',
  'ioapic',
  'hpt',
  'vmcoreinfo',
  'htm',
  'nested-hv',
  'msrs',
  'ccf-assist',
  'xen',
  'cfpc',
  'sbbc',
  'ibs',
  'tcg',
  'async-teardown',
  'ras',
  'ps2',
  'aia',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export interface FeatureState {
  /** False for state='off'. */
  on: boolean;
  /** Other attributes: apic eoi, gic version, ioapic driver, capabilities policy, hyperv mode, ... */
  attrs?: Record<string, string>;
  /** Sub-elements kept as written (hyperv, kvm, xen, capabilities, tcg, hpt). */
  children?: XmlElement[];
  /** smm: TSEG size in bytes. */
  tseg?: number;
}

export type DomainFeatures = Partial<Record<FeatureName, FeatureState>>;

/** Features whose element always carries state='on|off'. */
const ALWAYS_STATE = new Set<FeatureName>([
  'smm',
  'ps2',
  'ras',
  'hap',
  'pvspinlock',
  'pmu',
  'vmport',
  'vmcoreinfo',
  'htm',
  'nested-hv',
  'ccf-assist',
]);

export function parseFeatures(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const el = firstChild(root, 'features');
  if (!el) return;
  const features: DomainFeatures = {};
  for (const f of elementsOf(el)) {
    const name = f.name as FeatureName;
    if (!(FEATURE_NAMES as readonly string[]).includes(name) || features[name]) continue;
    const state: FeatureState = { on: f.attrs.state !== 'off' };
    const attrs: Record<string, string> = {};
    let anyAttr = false;
    for (const k in f.attrs) {
      if (k === 'state') continue;
      attrs[k] = f.attrs[k]!;
      anyAttr = true;
    }
    if (anyAttr) state.attrs = attrs;
    if (name === 'smm') {
      const tseg = firstChild(f, 'tseg');
      if (tseg) state.tseg = scaledBytes(textOf(tseg), tseg.attrs.unit, './features/smm/tseg', 1024 * 1024);
    } else {
      const kids = elementsOf(f);
      if (kids.length) state.children = kids;
    }
    features[name] = state;
  }
  def.features = features;
}

export function formatFeatures(w: XmlWriter, def: DomainDef): void {
  const features = def.features;
  if (!features) return;
  const mark = w.openMaybe('features');
  for (const name of FEATURE_NAMES) {
    const f = features[name];
    if (!f) continue;
    let attrs = '';
    if (ALWAYS_STATE.has(name) || (!f.on && !f.attrs)) attrs += a('state', f.on ? 'on' : 'off');
    // <hyperv> always says which mode it is in; 'custom' is the default.
    if (name === 'hyperv' && f.on && f.attrs?.mode === undefined) attrs += " mode='custom'";
    for (const k in f.attrs ?? {}) attrs += a(k, f.attrs![k]);
    if (name === 'smm' && f.tseg !== undefined) {
      w.open(name, attrs);
      w.text('tseg', String(Math.floor(f.tseg / (1024 * 1024))), " unit='MiB'");
      w.close(name);
    } else if (f.children?.length) {
      w.open(name, attrs);
      for (const c of f.children) w.raw(c);
      w.close(name);
    } else {
      w.empty(name, attrs);
    }
  }
  w.endMaybe(mark, 'features');
}
