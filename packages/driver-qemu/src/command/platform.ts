/** SMBIOS tables, VM generation id, ACPI tables, machine-wide globals and -run-with. */
import { SMBIOS_FIELDS } from '@tsvirt/core';
import { isQ35 } from './aliases.js';
import { escapeComma, Props } from './props.js';
import type { BuildState } from './state.js';

type Section = Partial<Record<string, string>>;

function smbiosLine(type: number, fields: readonly string[], section: Section | undefined): string | undefined {
  if (!section) return undefined;
  const parts = [`type=${type}`];
  for (const f of fields) {
    const v = section[f];
    if (v !== undefined) parts.push(`${f}=${escapeComma(v)}`);
  }
  return parts.length > 1 ? parts.join(',') : undefined;
}

/** -smbios from <sysinfo type='smbios'> when <os><smbios mode='sysinfo'/> asks for it. */
export function buildSmbios(s: BuildState): void {
  if (s.def.os.smbios !== 'sysinfo') return;
  const info = s.def.sysinfo?.find((x) => x.type === 'smbios');
  if (!info) return;
  const lines = [
    smbiosLine(0, SMBIOS_FIELDS.bios, info.bios),
    smbiosLine(1, SMBIOS_FIELDS.system, info.system),
    ...info.baseBoards.map((b) => smbiosLine(2, SMBIOS_FIELDS.baseBoard, b)),
    smbiosLine(3, SMBIOS_FIELDS.chassis, info.chassis),
  ];
  if (info.oemStrings.length) lines.push(`type=11,${info.oemStrings.map((v) => `value=${escapeComma(v)}`).join(',')}`);
  for (const l of lines) if (l) s.add('-smbios', l);
}

/** fw_cfg entries from <sysinfo type='fwcfg'>. */
export function buildFwcfg(s: BuildState): void {
  for (const info of s.def.sysinfo ?? []) {
    if (info.type !== 'fwcfg') continue;
    for (const e of info.entries) {
      const what = e.file !== undefined ? `file=${escapeComma(e.file)}` : `string=${escapeComma(e.value ?? '')}`;
      s.add('-fw_cfg', `name=${escapeComma(e.name)},${what}`);
    }
  }
}

export function buildGenid(s: BuildState): void {
  const g = s.def.genid;
  if (!g) return;
  s.device(new Props().set('driver', 'vmgenid').set('guid', g.value).set('id', 'vmgenid0'));
}

export function buildAcpiTables(s: BuildState): void {
  for (const t of s.def.os.acpiTables ?? []) {
    const sig = t.type === 'raw' ? '' : `sig=${t.type.toUpperCase()},`;
    s.add('-acpitable', `${sig}file=${escapeComma(t.path)}`);
  }
}

/** -global settings for the chipset: root-bus hotplug and the 64-bit PCI hole. */
export function buildChipsetGlobals(s: BuildState): void {
  const root = s.def.devices.controllers.find((c) => c.type === 'pci' && c.index === 0);
  const hotplug = root?.target?.hotplug;
  if (hotplug !== undefined && !isQ35(s.def)) s.add('-global', `PIIX4_PM.acpi-root-pci-hotplug=${hotplug}`);
  if (root?.pcihole64 !== undefined)
    s.add('-global', `${isQ35(s.def) ? 'q35-pcihost' : 'i440FX-pcihost'}.pci-hole64-size=${root.pcihole64}K`);
}

/** An explicit SMM TSEG size on q35. */
export function buildTseg(s: BuildState): void {
  const tseg = s.def.features?.smm?.tseg;
  if (tseg !== undefined && isQ35(s.def)) s.add('-global', `mch.extended-tseg-mbytes=${tseg / (1024 * 1024)}`);
}

export function buildRunWith(s: BuildState): void {
  const at = s.def.features?.['async-teardown'];
  if (at?.attrs?.enabled === 'yes') s.add('-run-with', 'async-teardown=on');
}
