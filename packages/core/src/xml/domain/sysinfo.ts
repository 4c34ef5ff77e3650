/** <sysinfo type='smbios'|'fwcfg'>: the SMBIOS tables / firmware config the guest sees. */

import { a, type XmlWriter } from '../writer.js';
import type { ParseContext } from './context.js';
import { parseUuid } from './general.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlDetail, xmlError } from './util/errors.js';
import { children, enumAttr, firstChild, textOf, type XmlElement } from './util/parse.js';

export const SYSINFO_TYPES = ['smbios', 'fwcfg'] as const;
export type SysinfoType = (typeof SYSINFO_TYPES)[number];

/** Entry names per SMBIOS section, in the order libvirt writes them. */
export const SMBIOS_FIELDS = {
  bios: ['vendor', 'version', 'date', 'release'],
  system: ['manufacturer', 'product', 'version', 'serial', 'uuid', 'sku', 'family'],
  baseBoard: ['manufacturer', 'product', 'version', 'serial', 'asset', 'location'],
  chassis: ['manufacturer', 'version', 'serial', 'asset', 'sku'],
} as const;

export type SmbiosSection = Partial<Record<string, string>>;

export interface Sysinfo {
  type: SysinfoType;
  bios?: SmbiosSection;
  system?: SmbiosSection;
  baseBoards: SmbiosSection[];
  chassis?: SmbiosSection;
  oemStrings: string[];
  /** fwcfg entries. */
  entries: Array<{ name: string; file?: string; value?: string }>;
}

function section(el: XmlElement | undefined, fields: readonly string[]): SmbiosSection | undefined {
  if (!el) return undefined;
  const out: SmbiosSection = {};
  let any = false;
  for (const e of children(el, 'entry')) {
    const name = e.attrs.name;
    if (name === undefined || !fields.includes(name) || out[name] !== undefined) continue;
    const v = textOf(e);
    if (v === '') continue;
    out[name] = v;
    any = true;
  }
  return any ? out : undefined;
}

const BIOS_DATE = /^[0-9]{2}\/[0-9]{2}\/([0-9]{2}|[0-9]{4})$/;

export function parseSysinfo(root: XmlElement, def: DomainDef, ctx: ParseContext): void {
  const list: Sysinfo[] = [];
  for (const el of children(root, 'sysinfo')) {
    const type = enumAttr(el, 'type', SYSINFO_TYPES);
    if (!type) throw xmlError('sysinfo must contain a type attribute');
    const s: Sysinfo = { type, baseBoards: [], oemStrings: [], entries: [] };
    if (type === 'smbios') {
      s.bios = section(firstChild(el, 'bios'), SMBIOS_FIELDS.bios);
      if (s.bios?.date !== undefined && !BIOS_DATE.test(s.bios.date)) {
        throw xmlDetail("Invalid BIOS 'date' format");
      }
      s.system = section(firstChild(el, 'system'), SMBIOS_FIELDS.system);
      if (s.system?.uuid !== undefined) {
        const u = parseUuid(s.system.uuid);
        if (!u) throw xmlError('malformed <sysinfo> uuid element');
        if (ctx.uuidGenerated) {
          def.uuid = u;
          ctx.uuidGenerated = false;
        } else if (u !== def.uuid) throw xmlDetail('UUID mismatch between <uuid> and <sysinfo>');
      }
      for (const bb of children(el, 'baseBoard')) {
        const sec = section(bb, SMBIOS_FIELDS.baseBoard);
        if (sec) s.baseBoards.push(sec);
      }
      s.chassis = section(firstChild(el, 'chassis'), SMBIOS_FIELDS.chassis);
      const oem = firstChild(el, 'oemStrings');
      if (oem) for (const e of children(oem, 'entry')) s.oemStrings.push(textOf(e));
    } else {
      for (const e of children(el, 'entry')) {
        const name = e.attrs.name;
        if (!name) throw xmlError("Firmware entry is missing 'name' attribute");
        const value = textOf(e);
        const file = e.attrs.file;
        if (!file && value === '') throw xmlError(`Firmware entry must have either value or 'file' attribute`);
        if (file && value !== '')
          throw unsupported(`Firmware entry '${name}' must not have both value and 'file' attribute`);
        s.entries.push({ name, file, value: value === '' ? undefined : value });
      }
    }
    list.push(s);
  }
  if (list.length > 0) def.sysinfo = list;
}

function formatSection(w: XmlWriter, name: string, sec: SmbiosSection | undefined, fields: readonly string[]): void {
  if (!sec) return;
  w.open(name);
  for (const f of fields) {
    const v = sec[f];
    if (v !== undefined) w.text('entry', v, a('name', f));
  }
  w.close(name);
}

export function formatSysinfo(w: XmlWriter, def: DomainDef): void {
  for (const s of def.sysinfo ?? []) {
    const mark = w.openMaybe('sysinfo', a('type', s.type));
    if (s.type === 'smbios') {
      formatSection(w, 'bios', s.bios, SMBIOS_FIELDS.bios);
      formatSection(w, 'system', s.system, SMBIOS_FIELDS.system);
      for (const bb of s.baseBoards) formatSection(w, 'baseBoard', bb, SMBIOS_FIELDS.baseBoard);
      formatSection(w, 'chassis', s.chassis, SMBIOS_FIELDS.chassis);
      if (s.oemStrings.length > 0) {
        w.open('oemStrings');
        for (const o of s.oemStrings) w.text('entry', o);
        w.close('oemStrings');
      }
    } else {
      for (const e of s.entries) {
        if (e.value !== undefined) w.text('entry', e.value, a('name', e.name) + a('file', e.file));
        else w.empty('entry', a('name', e.name) + a('file', e.file));
      }
    }
    w.endMaybe(mark, 'sysinfo', a('type', s.type));
  }
}
