/**
 * Firmware selection at post-parse (libvirt's qemuFirmwareFillDomain): with firmware='efi' or
 * 'bios' the first matching descriptor is written into <loader>/<nvram>; with a manually given
 * loader the missing pieces (NVRAM template, formats, NVRAM path) are filled in from the
 * descriptors, then from qemu.conf's legacy CODE:VARS pairs.
 */
import type { DomainDef, OsConfig } from '@tsvirt/core';
import type { FirmwareDescriptor } from './descriptor.js';

export interface FirmwareSettings {
  descriptors: readonly FirmwareDescriptor[];
  /** qemu.conf nvram = [...]: loader path and the NVRAM template that goes with it. */
  legacyPairs: ReadonlyArray<{ code: string; vars: string }>;
  /** Where per-domain NVRAM stores live (/var/lib/libvirt/qemu/nvram). */
  nvramDir: string;
}

/** libvirt's built-in nvram list (DEFAULT_LOADER_NVRAM). */
export const DEFAULT_LEGACY_FIRMWARE = [
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.secboot.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
  { code: '/usr/share/AAVMF/AAVMF_CODE.fd', vars: '/usr/share/AAVMF/AAVMF_VARS.fd' },
  { code: '/usr/share/AAVMF/AAVMF32_CODE.fd', vars: '/usr/share/AAVMF/AAVMF32_VARS.fd' },
];

class NoFirmware extends Error {}

/** Shell-style match as GLib's g_pattern_match_simple ('*' and '?'). */
function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(text);
}

function wantedInterface(os: OsConfig): string | undefined {
  if (os.firmware === 'efi') return 'uefi';
  if (os.firmware === 'bios') return 'bios';
  if (os.loader?.type === 'pflash') return 'uefi';
  if (os.loader?.type === 'rom') return 'bios';
  return undefined;
}

function matchesPaths(fw: FirmwareDescriptor, def: DomainDef): boolean {
  const loader = def.os.loader;
  const m = fw.mapping;
  switch (m.device) {
    case 'flash':
      if (loader?.path && loader.path !== m.executable.filename) return false;
      if (def.os.nvram?.template) {
        if (m.mode !== 'split' || def.os.nvram.template !== m.nvramTemplate?.filename) return false;
      }
      return true;
    case 'memory':
      return !loader?.path || loader.path === m.filename;
    case 'kernel':
      return !def.os.kernel || def.os.kernel === m.filename;
  }
}

function matchesMachine(fw: FirmwareDescriptor, def: DomainDef): boolean {
  const machine = def.os.machine ?? '';
  return fw.targets.some((t) => t.arch === def.os.arch && t.machines.some((p) => globMatch(p, machine)));
}

function matches(def: DomainDef, fw: FirmwareDescriptor, wantFormat: string): boolean {
  const os = def.os;
  const loader = os.loader;
  const want = wantedInterface(os);
  if (!want || !fw.interfaces.includes(want)) return false;
  if (!matchesPaths(fw, def) || !matchesMachine(fw, def)) return false;
  const has = (f: string) => fw.features.includes(f);
  if (def.pm?.suspendToMem && !has('acpi-s3')) return false;
  if (def.pm?.suspendToDisk && !has('acpi-s4')) return false;
  for (const f of os.firmwareFeatures ?? []) {
    if (f.name !== 'secure-boot' && f.name !== 'enrolled-keys') continue;
    if (f.enabled !== has(f.name)) return false;
  }
  if (has('requires-smm')) {
    if (def.features?.smm?.on === false || loader?.secure === false) return false;
  } else if (loader?.secure === true) return false;
  const m = fw.mapping;
  if (m.device === 'flash') {
    if (m.mode !== (loader?.stateless === true ? 'stateless' : 'split')) return false;
    // A writable loader would need a combined image, which the mode check above already rules out.
    if (loader?.readonly === false) return false;
    if (!['raw', 'qcow2'].includes(m.executable.format)) return false;
    if (wantFormat !== m.executable.format) return false;
    if (m.mode === 'split' && m.nvramTemplate) {
      if (!['raw', 'qcow2'].includes(m.nvramTemplate.format)) return false;
      if (os.nvram?.format && os.nvram.format !== m.nvramTemplate.format) return false;
    }
  }
  const sec = def.launchSecurity;
  if (sec?.type === 'sev') {
    if (!has('amd-sev')) return false;
    if ((sec.policy ?? 0) & 4 && !has('amd-sev-es')) return false;
  }
  if (sec?.type === 'sev-snp' && !has('amd-sev-snp')) return false;
  // TDX firmware boots TDX guests only, and TDX guests need it.
  if (has('intel-tdx') !== (sec?.type === 'tdx')) return false;
  return true;
}

function applyDescriptor(def: DomainDef, fw: FirmwareDescriptor): void {
  const os = def.os;
  const m = fw.mapping;
  if (m.device === 'flash') {
    os.loader ??= {};
    const loader = os.loader;
    loader.type = 'pflash';
    loader.readonly = true;
    loader.format = m.executable.format;
    loader.path = m.executable.filename;
    if (m.mode === 'split' && m.nvramTemplate && os.nvram?.type !== 'network') {
      // A template only makes sense for an NVRAM store libvirt creates locally.
      os.nvram ??= {};
      os.nvram.template = m.nvramTemplate.filename;
      os.nvram.templateFormat = m.nvramTemplate.format;
    }
  } else if (m.device === 'memory') {
    os.loader ??= {};
    os.loader.type = 'rom';
    os.loader.path = m.filename;
    os.loader.format ??= 'raw';
  } else {
    os.kernel = m.filename;
  }
  const has = (f: string) => fw.features.includes(f);
  if (has('requires-smm')) {
    def.features ??= {};
    def.features.smm = { ...def.features.smm, on: true };
    if (os.loader) os.loader.secure = true;
  }
  if (!os.firmware) {
    const first = fw.interfaces.find((i) => i === 'uefi' || i === 'bios');
    if (first) os.firmware = first === 'uefi' ? 'efi' : 'bios';
  }
  if (os.firmware) {
    const features = [
      { name: 'enrolled-keys', enabled: has('enrolled-keys') },
      { name: 'secure-boot', enabled: has('secure-boot') },
    ];
    const loader = os.loader;
    // Without a local template nothing is known about the keys in the NVRAM store.
    const unknownKeys = loader?.type === 'pflash' && loader.stateless !== true && !os.nvram?.template;
    os.firmwareFeatures = unknownKeys ? features.filter((f) => f.name !== 'enrolled-keys') : features;
  }
}

function fillLegacy(def: DomainDef, settings: FirmwareSettings): boolean {
  const loader = def.os.loader;
  if (!loader || loader.type !== 'pflash' || loader.readonly === false || loader.stateless === true) return false;
  if (loader.format && loader.format !== 'raw') return false;
  const pair = settings.legacyPairs.find((p) => p.code === loader.path);
  if (!pair) return false;
  loader.readonly = true;
  loader.format = 'raw';
  def.os.nvram ??= {};
  if (def.os.nvram.template === undefined) {
    def.os.nvram.template = pair.vars;
  }
  def.os.nvram.templateFormat ??= 'raw';
  return true;
}

/** Make sure a writable-NVRAM firmware has an NVRAM store: the domain's own file by default. */
function ensureNvram(def: DomainDef, settings: FirmwareSettings): void {
  const loader = def.os.loader;
  if (!loader || loader.type !== 'pflash' || loader.readonly !== true || loader.stateless === true) return;
  const nvram = def.os.nvram ?? {};
  def.os.nvram = nvram;
  nvram.format ??= loader.format;
  if (nvram.path || nvram.type === 'network') return;
  const ext = nvram.format === 'qcow2' ? '.qcow2' : nvram.format === 'raw' ? '.fd' : '';
  nvram.path = `${settings.nvramDir}/${def.name}_VARS${ext}`;
}

export function fillFirmware(def: DomainDef, settings: FirmwareSettings): void {
  const os = def.os;
  const auto = os.firmware !== undefined;
  const loader = os.loader;
  // Unless told otherwise, firmware images are raw, or in the NVRAM store's format.
  const wantFormat = loader?.format ?? os.nvram?.format ?? 'raw';
  if (loader) {
    if (!auto && loader.path && !loader.type) loader.type = 'rom';
    loader.format = wantFormat;
  }
  if (!auto && (!loader || loader.type === 'rom')) return;
  const fw = settings.descriptors.find((f) => matches(def, f, wantFormat));
  if (fw) applyDescriptor(def, fw);
  else if (auto)
    throw new NoFirmware(`Unable to find '${os.firmware}' firmware that is compatible with the current configuration`);
  else fillLegacy(def, settings);
  ensureNvram(def, settings);
}

/** Definitions whose automatic firmware selection failed at post-parse, with the reason. */
const unresolvedFirmware = new WeakMap<DomainDef, string>();

/** Post-parse flavour: a domain loaded from disk must not vanish, so a failed selection is left for start-up. */
export function fillFirmwareLeniently(def: DomainDef, settings: FirmwareSettings): void {
  try {
    fillFirmware(def, settings);
  } catch (err) {
    if (!(err instanceof NoFirmware)) throw err;
    unresolvedFirmware.set(def, err.message);
  }
}

/** Why no firmware could be picked for this definition, if that is the case (start-up refuses it). */
export function firmwareSelectionError(def: DomainDef): string | undefined {
  return unresolvedFirmware.get(def);
}
