/**
 * QEMU firmware descriptors (the JSON files of QEMU's docs/interop/firmware.json, installed in
 * /usr/share/qemu/firmware and overridable from /etc/qemu/firmware): what each firmware image
 * is, which machines it boots and which features it has.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface FlashFile {
  filename: string;
  format: string;
}

export type FirmwareMapping =
  | { device: 'flash'; mode: 'split' | 'combined' | 'stateless'; executable: FlashFile; nvramTemplate?: FlashFile }
  | { device: 'memory'; filename: string }
  | { device: 'kernel'; filename: string };

export interface FirmwareDescriptor {
  /** Where it was read from, for messages. */
  path: string;
  interfaces: string[];
  mapping: FirmwareMapping;
  targets: Array<{ arch: string; machines: string[] }>;
  features: string[];
}

/** QEMU's architecture names in descriptors, as libvirt spells them. */
const ARCH_NAMES: Record<string, string> = { i386: 'i686' };

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function flashFile(v: unknown): FlashFile | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return typeof o.filename === 'string' && typeof o.format === 'string'
    ? { filename: o.filename, format: o.format }
    : undefined;
}

/** Parse one descriptor; undefined for documents that are not usable descriptors. */
export function parseFirmwareDescriptor(path: string, text: string): FirmwareDescriptor | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const d = doc as Record<string, unknown>;
  const m = d.mapping as Record<string, unknown> | undefined;
  if (!m || typeof m !== 'object') return undefined;
  let mapping: FirmwareMapping;
  if (m.device === 'flash') {
    const mode = (m.mode ?? 'split') as string;
    if (mode !== 'split' && mode !== 'combined' && mode !== 'stateless') return undefined;
    const executable = flashFile(m.executable);
    if (!executable) return undefined;
    const nvramTemplate = flashFile(m['nvram-template']);
    if (mode === 'split' && !nvramTemplate) return undefined;
    mapping = { device: 'flash', mode, executable, nvramTemplate };
  } else if (m.device === 'memory' || m.device === 'kernel') {
    if (typeof m.filename !== 'string') return undefined;
    mapping = { device: m.device, filename: m.filename };
  } else return undefined;
  const targets = Array.isArray(d.targets)
    ? d.targets.flatMap((t) => {
        const o = t as Record<string, unknown>;
        if (typeof o?.architecture !== 'string') return [];
        return [{ arch: ARCH_NAMES[o.architecture] ?? o.architecture, machines: asStrings(o.machines) }];
      })
    : [];
  return { path, interfaces: asStrings(d['interface-types']), mapping, targets, features: asStrings(d.features) };
}

/**
 * A descriptor file's text. Packaging often ships descriptors as symlinks; a checkout without
 * symlink support leaves a file holding the link's target path, which is followed the same way.
 */
function readDescriptorText(file: string): string {
  const text = readFileSync(file, 'utf8');
  const trimmed = text.trim();
  if (trimmed !== '' && !trimmed.startsWith('{') && !trimmed.includes('\n') && trimmed.endsWith('.json'))
    return readFileSync(resolve(dirname(file), trimmed), 'utf8');
  return text;
}

/**
 * All descriptors of a search path (highest priority first, e.g. /etc/qemu/firmware before
 * /usr/share/qemu/firmware): a file name found in several folders is taken from the first, an
 * empty file masks the name, and the result is ordered by file name.
 */
export function loadFirmwareDescriptors(searchPath: readonly string[]): FirmwareDescriptor[] {
  const chosen = new Map<string, string>();
  for (const dir of searchPath) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.json') || chosen.has(name)) continue;
      chosen.set(name, join(dir, name));
    }
  }
  const out: FirmwareDescriptor[] = [];
  for (const name of [...chosen.keys()].sort()) {
    const file = chosen.get(name)!;
    try {
      if (statSync(file).size === 0) continue;
      const fw = parseFirmwareDescriptor(file, readDescriptorText(file));
      if (fw) out.push(fw);
    } catch {
      // Unreadable descriptors are skipped, as a broken package must not stop every guest.
    }
  }
  return out;
}
