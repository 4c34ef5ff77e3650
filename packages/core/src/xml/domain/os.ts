/** <os> (boot configuration) plus the Xen-style <bootloader> and <bootloader_args>. */

import { a, type XmlWriter, yn } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import { type DiskSource, parseSource } from './devices/disk.js';
import type { DomainDef } from './types.js';
import { internalError, unsupported, xmlError } from './util/errors.js';
import {
  children,
  childString,
  enumAttr,
  firstChild,
  textOf,
  uintAttr,
  type XmlElement,
  yesNoAttr,
} from './util/parse.js';

export const OS_TYPES = ['hvm', 'xen', 'linux', 'exe', 'uml', 'xenpvh'] as const;
export type OsType = (typeof OS_TYPES)[number];

export const ARCHES = [
  'none',
  'alpha',
  'armv6l',
  'armv7l',
  'armv7b',
  'aarch64',
  'cris',
  'i686',
  'ia64',
  'lm32',
  'loongarch64',
  'm68k',
  'microblaze',
  'microblazeel',
  'mips',
  'mipsel',
  'mips64',
  'mips64el',
  'openrisc',
  'parisc',
  'parisc64',
  'ppc',
  'ppcle',
  'ppc64',
  'ppc64le',
  'ppcemb',
  'riscv32',
  'riscv64',
  's390',
  's390x',
  'sh4',
  'sh4eb',
  'sparc',
  'sparc64',
  'unicore32',
  'x86_64',
  'xtensa',
  'xtensaeb',
] as const;
export type Arch = (typeof ARCHES)[number];

export const BOOT_DEVICES = ['fd', 'cdrom', 'hd', 'network'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];
export const FIRMWARES = ['bios', 'efi'] as const;
export const LOADER_TYPES = ['rom', 'pflash'] as const;
export const SMBIOS_MODES = ['emulate', 'host', 'sysinfo'] as const;
export type SmbiosMode = (typeof SMBIOS_MODES)[number];

export interface OsLoader {
  path?: string;
  readonly?: boolean;
  secure?: boolean;
  type?: (typeof LOADER_TYPES)[number];
  stateless?: boolean;
  format?: string;
}

export const NVRAM_TYPES = ['file', 'block', 'network'] as const;

export interface OsNvram {
  /** The local file or block device; for type file/block it is the <source>'s path. */
  path?: string;
  /** Set when the store was given as a <source> rather than a path text. */
  type?: (typeof NVRAM_TYPES)[number];
  /** type network: the remote store (protocol, export name, hosts). */
  source?: DiskSource;
  template?: string;
  format?: string;
  templateFormat?: string;
}

export interface OsConfig {
  /** hvm, xen, linux, exe, ... */
  type: string;
  arch?: string;
  machine?: string;
  firmware?: (typeof FIRMWARES)[number];
  firmwareFeatures?: Array<{ name: string; enabled: boolean }>;
  init?: string;
  initargs?: string[];
  initenv?: Array<{ name: string; value: string }>;
  initdir?: string;
  inituser?: string;
  initgroup?: string;
  loader?: OsLoader;
  nvram?: OsNvram;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  dtb?: string;
  /** `<shim>`: the UEFI shim loaded before the kernel (SEV direct boot). */
  shim?: string;
  acpiTables?: Array<{ type: string; path: string }>;
  root?: string;
  /** <boot dev=...> in order. */
  boot?: BootDevice[];
  bootmenu?: { enable: boolean; timeout?: number };
  bios?: { useserial?: boolean; rebootTimeout?: number };
  smbios?: SmbiosMode;
}

export function parseOs(root: XmlElement, def: DomainDef, _ctx: ParseContext): void {
  const os = firstChild(root, 'os');
  const typeEl = os ? firstChild(os, 'type') : undefined;
  const typeText = typeEl ? textOf(typeEl).trim() : '';
  if (!os || !typeEl || typeText === '') throw xmlError('an os <type> must be specified');
  if (!(OS_TYPES as readonly string[]).includes(typeText)) throw unsupported(`unknown OS type '${typeText}'`);
  // Xen paravirt guests were once written as 'linux'.
  const type = typeText === 'linux' && def.type === 'xen' ? 'xen' : typeText;
  const cfg: OsConfig = { type };
  const arch = typeEl.attrs.arch;
  if (arch !== undefined) {
    if (!(ARCHES as readonly string[]).includes(arch)) throw unsupported(`Unknown architecture ${arch}`);
    cfg.arch = arch;
  }
  if (typeEl.attrs.machine !== undefined) cfg.machine = typeEl.attrs.machine;

  cfg.firmware = enumAttr(os, 'firmware', FIRMWARES);
  const fw = firstChild(os, 'firmware');
  if (fw) {
    cfg.firmwareFeatures = children(fw, 'feature').map((f) => {
      const name = f.attrs.name;
      const enabled = yesNoAttr(f, 'enabled');
      if (!name || enabled === undefined) throw xmlError('firmware feature must have name and enabled attributes');
      return { name, enabled };
    });
  }

  cfg.init = childString(os, 'init');
  const initargs = children(os, 'initarg').map(textOf);
  if (initargs.length) cfg.initargs = initargs;
  const initenv = children(os, 'initenv').map((e) => {
    const name = e.attrs.name;
    if (!name) throw xmlError('No name supplied for <initenv> element');
    return { name, value: textOf(e) };
  });
  if (initenv.length) cfg.initenv = initenv;
  cfg.initdir = childString(os, 'initdir');
  cfg.inituser = childString(os, 'inituser');
  cfg.initgroup = childString(os, 'initgroup');

  if (type === 'hvm') {
    const loader = firstChild(os, 'loader');
    if (loader) {
      const path = textOf(loader).trim();
      cfg.loader = {
        path: path === '' ? undefined : path,
        readonly: yesNoAttr(loader, 'readonly'),
        secure: yesNoAttr(loader, 'secure'),
        type: enumAttr(loader, 'type', LOADER_TYPES),
        stateless: yesNoAttr(loader, 'stateless'),
        format: loader.attrs.format,
      };
    }
    const nvram = firstChild(os, 'nvram');
    if (nvram) {
      const path = textOf(nvram).trim();
      cfg.nvram = {
        path: path === '' ? undefined : path,
        template: nvram.attrs.template,
        format: nvram.attrs.format,
        templateFormat: nvram.attrs.templateFormat,
      };
      parseNvramSource(nvram, cfg.nvram);
    }
    const acpi = firstChild(os, 'acpi');
    if (acpi) {
      cfg.acpiTables = children(acpi, 'table').map((t) => {
        const tt = t.attrs.type;
        if (!tt) throw xmlError('Missing acpi table type');
        return { type: tt, path: textOf(t).trim() };
      });
    }
    const boots: BootDevice[] = [];
    for (const b of children(os, 'boot')) {
      const dev = b.attrs.dev;
      if (dev === undefined) throw internalError('missing boot device');
      if (!(BOOT_DEVICES as readonly string[]).includes(dev)) throw internalError(`unknown boot device '${dev}'`);
      if (boots.length < BOOT_DEVICES.length) boots.push(dev as BootDevice);
    }
    if (boots.length) cfg.boot = boots;
    const menu = firstChild(os, 'bootmenu');
    if (menu) {
      const enable = yesNoAttr(menu, 'enable');
      if (enable !== undefined) {
        const timeout = uintAttr(menu, 'timeout');
        if (timeout !== undefined && timeout > 65535)
          throw unsupported('invalid value for boot menu timeout, must be in range [0,65535]');
        cfg.bootmenu = { enable, timeout: enable ? timeout : undefined };
      }
    }
    const bios = firstChild(os, 'bios');
    if (bios) {
      const rt = bios.attrs.rebootTimeout;
      let rebootTimeout: number | undefined;
      if (rt !== undefined) {
        rebootTimeout = /^-?[0-9]+$/.test(rt) ? Number(rt) : Number.NaN;
        if (!(rebootTimeout >= -1 && rebootTimeout <= 65535)) {
          throw unsupported('invalid value for rebootTimeout, must be in range [-1,65535]');
        }
      }
      cfg.bios = { useserial: yesNoAttr(bios, 'useserial'), rebootTimeout };
    }
    const smbios = firstChild(os, 'smbios');
    if (smbios) {
      const mode = enumAttr(smbios, 'mode', SMBIOS_MODES);
      if (!mode) throw xmlError('Missing smbios mode');
      cfg.smbios = mode;
    }
  }
  if (type === 'hvm' || type === 'xen' || type === 'linux' || type === 'uml' || type === 'xenpvh') {
    cfg.kernel = childString(os, 'kernel');
    cfg.initrd = childString(os, 'initrd');
    cfg.cmdline = childString(os, 'cmdline');
    cfg.dtb = childString(os, 'dtb');
    cfg.shim = childString(os, 'shim');
    cfg.root = childString(os, 'root');
  }
  def.os = cfg;

  const bl = childString(root, 'bootloader');
  if (bl !== undefined) def.bootloader = bl;
  const blArgs = childString(root, 'bootloader_args');
  if (blArgs !== undefined) def.bootloaderArgs = blArgs;
}

export function formatOs(w: XmlWriter, def: DomainDef, _ctx: FormatContext): void {
  if (def.bootloader !== undefined) w.text('bootloader', def.bootloader);
  if (def.bootloaderArgs !== undefined) w.text('bootloader_args', def.bootloaderArgs);
  const os = def.os;
  w.open('os', a('firmware', os.firmware));
  w.text('type', os.type, a('arch', os.arch) + a('machine', os.machine));
  if (os.firmwareFeatures?.length) {
    w.open('firmware');
    for (const f of os.firmwareFeatures) w.empty('feature', yn('enabled', f.enabled) + a('name', f.name));
    w.close('firmware');
  }
  if (os.init !== undefined) w.text('init', os.init);
  for (const arg of os.initargs ?? []) w.text('initarg', arg);
  for (const env of os.initenv ?? []) w.text('initenv', env.value, a('name', env.name));
  if (os.initdir !== undefined) w.text('initdir', os.initdir);
  if (os.inituser !== undefined) w.text('inituser', os.inituser);
  if (os.initgroup !== undefined) w.text('initgroup', os.initgroup);
  const l = os.loader;
  if (l) {
    const attrs =
      yn('readonly', l.readonly) +
      yn('secure', l.secure) +
      a('type', l.type) +
      yn('stateless', l.stateless) +
      a('format', l.format);
    if (l.path !== undefined) w.text('loader', l.path, attrs);
    else w.empty('loader', attrs);
  }
  const n = os.nvram;
  if (n) {
    const attrs =
      a('template', n.template) + a('templateFormat', n.templateFormat) + a('type', n.type) + a('format', n.format);
    if (n.type !== undefined) {
      w.open('nvram', attrs);
      formatNvramSource(w, n);
      w.close('nvram');
    } else if (n.path !== undefined) w.text('nvram', n.path, attrs);
    else w.empty('nvram', attrs);
  }
  if (os.kernel !== undefined) w.text('kernel', os.kernel);
  if (os.initrd !== undefined) w.text('initrd', os.initrd);
  if (os.cmdline !== undefined) w.text('cmdline', os.cmdline);
  if (os.shim !== undefined) w.text('shim', os.shim);
  if (os.dtb !== undefined) w.text('dtb', os.dtb);
  if (os.acpiTables?.length) {
    w.open('acpi');
    for (const t of os.acpiTables) w.text('table', t.path, a('type', t.type));
    w.close('acpi');
  }
  if (os.root !== undefined) w.text('root', os.root);
  for (const b of os.boot ?? []) w.empty('boot', a('dev', b));
  if (os.bootmenu) w.empty('bootmenu', yn('enable', os.bootmenu.enable) + a('timeout', os.bootmenu.timeout));
  if (os.bios && (os.bios.useserial !== undefined || os.bios.rebootTimeout !== undefined)) {
    w.empty('bios', yn('useserial', os.bios.useserial) + a('rebootTimeout', os.bios.rebootTimeout));
  }
  if (os.smbios) w.empty('smbios', a('mode', os.smbios));
  w.close('os');
}

/** <nvram type='file|block|network'><source .../></nvram>: the store described like a disk's. */
function parseNvramSource(el: XmlElement, nvram: OsNvram): void {
  const type = el.attrs.type;
  if (type === undefined) return;
  if (!(NVRAM_TYPES as readonly string[]).includes(type)) throw xmlError(`unknown disk type '${type}'`);
  const src = firstChild(el, 'source');
  if (!src) throw xmlError('Missing source element for nvram');
  nvram.type = type as OsNvram['type'];
  const parsed = parseSource(src, nvram.type!);
  if (nvram.type === 'network') nvram.source = parsed;
  else nvram.path = parsed.path;
}

function formatNvramSource(w: XmlWriter, n: OsNvram): void {
  if (n.type === 'file') w.empty('source', a('file', n.path));
  else if (n.type === 'block') w.empty('source', a('dev', n.path));
  else {
    const src = n.source ?? {};
    const attrs = a('protocol', src.protocol) + a('name', src.name) + a('query', src.query) + yn('tls', src.tls);
    const mark = w.openMaybe('source', attrs);
    for (const h of src.hosts ?? [])
      w.empty('host', a('name', h.name) + a('port', h.port) + a('transport', h.transport) + a('socket', h.socket));
    w.endMaybe(mark, 'source', attrs);
  }
}
