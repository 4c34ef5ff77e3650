/** <seclabel>, <keywrap> and <launchSecurity> (SEV, SEV-SNP, s390 protected virtualization). */

import { a, onoff, type XmlWriter, yn } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlDetail, xmlError } from './util/errors.js';
import { children, childString, enumAttr, firstChild, onOffAttr, type XmlElement, yesNoAttr } from './util/parse.js';

export const SECLABEL_TYPES = ['dynamic', 'static', 'none'] as const;
export type SeclabelType = (typeof SECLABEL_TYPES)[number];

export interface Seclabel {
  type: SeclabelType;
  model?: string;
  relabel?: boolean;
  label?: string;
  imagelabel?: string;
  baselabel?: string;
}

export const LAUNCH_SECURITY_TYPES = ['sev', 'sev-snp', 's390-pv', 'tdx'] as const;
export type LaunchSecurityType = (typeof LAUNCH_SECURITY_TYPES)[number];

export interface LaunchSecurity {
  type: LaunchSecurityType;
  kernelHashes?: boolean;
  cbitpos?: number;
  reducedPhysBits?: number;
  policy?: number;
  dhCert?: string;
  session?: string;
  /** Other attributes (sev-snp, tdx), kept as written. */
  attrs?: Record<string, string>;
  /** Other child elements (sev-snp, tdx), kept as written. */
  extra?: XmlElement[];
}

function parseSeclabel(el: XmlElement, ctx: ParseContext): Seclabel {
  const type = enumAttr(el, 'type', SECLABEL_TYPES) ?? 'dynamic';
  const s: Seclabel = { type, model: el.attrs.model };
  const relabel = yesNoAttr(el, 'relabel');
  if (type === 'none') s.relabel = false;
  else if (relabel !== undefined) s.relabel = relabel;
  else s.relabel = true;
  if (type === 'static' && s.relabel === undefined) s.relabel = false;
  const label = childString(el, 'label');
  // A dynamic label is chosen at start; only a static one belongs to the definition.
  if (label !== undefined && (type === 'static' || !ctx.inactive)) s.label = label;
  if (type === 'static' && s.label === undefined && s.model !== 'none') throw xmlError('security label is missing');
  const imagelabel = childString(el, 'imagelabel');
  if (imagelabel !== undefined && !ctx.inactive) s.imagelabel = imagelabel;
  const baselabel = childString(el, 'baselabel');
  if (baselabel !== undefined && type === 'dynamic') s.baselabel = baselabel;
  return s;
}

/** Each security model labels a domain once. */
function refuseRepeatedModels(labels: readonly Seclabel[]): void {
  const models = new Set<string>();
  for (const l of labels) {
    if (l.model === undefined) continue;
    if (models.has(l.model)) throw xmlDetail(`seclabel for model ${l.model} is already provided`);
    models.add(l.model);
  }
}

/**
 * A device's <seclabel> overriding the domain's: asking to relabel needs a label to apply
 * (libvirt's device label parser refuses relabel='yes' without <label>).
 */
export function validateDeviceSeclabels(labels: readonly XmlElement[]): void {
  for (const l of labels) {
    if (l.name !== 'seclabel') continue;
    if (yesNoAttr(l, 'relabel') === true && childString(l, 'label') === undefined)
      throw xmlError(`Cannot specify relabel if label is missing. model=${l.attrs.model ?? ''}`);
  }
}

const SEV_CHILDREN = new Set(['cbitpos', 'reducedPhysBits', 'policy', 'dhCert', 'session']);
const POLICY = /^\s*(0[xX][0-9a-fA-F]+|[0-9]+)\s*$/;

export function parseSecurity(root: XmlElement, def: DomainDef, ctx: ParseContext): void {
  const labels = children(root, 'seclabel').map((s) => parseSeclabel(s, ctx));
  refuseRepeatedModels(labels);
  if (labels.length) def.seclabels = labels;

  const kw = firstChild(root, 'keywrap');
  if (kw) {
    def.keywrap = children(kw, 'cipher').map((c) => {
      const name = c.attrs.name;
      if (name !== 'aes' && name !== 'dea') throw xmlError(`${name ?? ''} is not a supported cipher`);
      const state = onOffAttr(c, 'state');
      return { name, state: state ?? true };
    });
  }

  const ls = firstChild(root, 'launchSecurity');
  if (ls) {
    const type = ls.attrs.type;
    if (type === undefined) throw xmlError('missing launch security type');
    if (!(LAUNCH_SECURITY_TYPES as readonly string[]).includes(type))
      throw unsupported(`unsupported launch security type '${type}'`);
    const sec: LaunchSecurity = { type: type as LaunchSecurityType };
    if (type === 'sev') {
      sec.kernelHashes = yesNoAttr(ls, 'kernelHashes');
      const num = (n: string): number | undefined => {
        const t = childString(ls, n);
        if (t === undefined) return undefined;
        if (!POLICY.test(t)) throw xmlError(`failed to get launch security ${n}`);
        return Number(t.trim());
      };
      sec.cbitpos = num('cbitpos');
      sec.reducedPhysBits = num('reducedPhysBits');
      const policy = num('policy');
      if (policy === undefined) throw xmlError('failed to get launch security policy');
      sec.policy = policy;
      sec.dhCert = childString(ls, 'dhCert');
      sec.session = childString(ls, 'session');
      const extra = ls.nodes.filter((n): n is XmlElement => typeof n !== 'string' && !SEV_CHILDREN.has(n.name));
      if (extra.length) sec.extra = extra;
    } else {
      const extra = ls.nodes.filter((n): n is XmlElement => typeof n !== 'string');
      if (extra.length) sec.extra = extra;
      const attrs: Record<string, string> = {};
      for (const k in ls.attrs) if (k !== 'type') attrs[k] = ls.attrs[k]!;
      if (Object.keys(attrs).length) sec.attrs = attrs;
    }
    def.launchSecurity = sec;
  }
}

export function formatSeclabels(w: XmlWriter, def: DomainDef, ctx: FormatContext): void {
  for (const s of def.seclabels ?? []) {
    // relabel is implied for static labels without relabel and for 'none'.
    let attrs = a('type', s.type) + a('model', s.model);
    if (s.type !== 'none') attrs += yn('relabel', s.relabel);
    const label = s.type === 'dynamic' && ctx.inactive ? undefined : s.label;
    const imagelabel = ctx.inactive ? undefined : s.imagelabel;
    if (label === undefined && imagelabel === undefined && s.baselabel === undefined) {
      w.empty('seclabel', attrs);
      continue;
    }
    w.open('seclabel', attrs);
    if (label !== undefined) w.text('label', label);
    if (imagelabel !== undefined) w.text('imagelabel', imagelabel);
    if (s.baselabel !== undefined) w.text('baselabel', s.baselabel);
    w.close('seclabel');
  }
}

export function formatKeywrap(w: XmlWriter, def: DomainDef): void {
  if (!def.keywrap?.length) return;
  w.open('keywrap');
  for (const c of def.keywrap) w.empty('cipher', a('name', c.name) + onoff('state', c.state));
  w.close('keywrap');
}

export function formatLaunchSecurity(w: XmlWriter, def: DomainDef): void {
  const ls = def.launchSecurity;
  if (!ls) return;
  let attrs = a('type', ls.type);
  if (ls.type !== 'sev') {
    for (const k in ls.attrs ?? {}) attrs += a(k, ls.attrs![k]);
    if (!ls.extra?.length) {
      w.empty('launchSecurity', attrs);
      return;
    }
    w.open('launchSecurity', attrs);
    for (const e of ls.extra) w.raw(e);
    w.close('launchSecurity');
    return;
  }
  attrs += yn('kernelHashes', ls.kernelHashes);
  w.open('launchSecurity', attrs);
  if (ls.cbitpos !== undefined) w.text('cbitpos', String(ls.cbitpos));
  if (ls.reducedPhysBits !== undefined) w.text('reducedPhysBits', String(ls.reducedPhysBits));
  w.text('policy', `0x${(ls.policy ?? 0).toString(16).padStart(4, '0')}`);
  if (ls.dhCert !== undefined) w.text('dhCert', ls.dhCert);
  if (ls.session !== undefined) w.text('session', ls.session);
  for (const e of ls.extra ?? []) w.raw(e);
  w.close('launchSecurity');
}
