/**
 * <devices>: parse every device family in document order and write them back in the order
 * libvirt uses. Families tsvirt does not model in detail are kept as written, in their place.
 */

import type { XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import type { DomainDef } from '../types.js';
import { childString, elementsOf, firstChild, type XmlElement } from '../util/parse.js';
import { type ChrDevice, formatChrDevice, parseChrDevice } from './chardev.js';
import { type ControllerDef, formatController, parseController } from './controller.js';
import { type DiskDef, formatDisk, parseDisk } from './disk.js';
import { type FilesystemDef, formatFilesystem, parseFilesystem } from './filesystem.js';
import { formatGraphics, type GraphicsDef, parseGraphics } from './graphics.js';
import { formatInput, type InputDef, parseInput } from './input.js';
import { formatInterface, type InterfaceDef, parseInterface } from './interface.js';
import { formatMemballoon, type MemballoonDef, parseMemballoon } from './memballoon.js';
import { canonicalRedirFilter, formatRedirdev, parseRedirdev, type RedirdevDef } from './redirdev.js';
import { formatRng, parseRng, type RngDef } from './rng.js';
import { formatSmartcard, parseSmartcard, type SmartcardDef } from './smartcard.js';
import { formatSound, parseSound, type SoundDef } from './sound.js';
import { formatVideo, parseVideo, type VideoDef } from './video.js';

/** Device families kept verbatim (not yet modelled field by field). */
export const RAW_DEVICE_KINDS = [
  'lease',
  'tpm',
  'audio',
  'hostdev',
  'redirfilter',
  'hub',
  'watchdog',
  'nvram',
  'panic',
  'shmem',
  'memory',
  'iommu',
  'vsock',
  'crypto',
  'pstore',
] as const;
export type RawDeviceKind = (typeof RAW_DEVICE_KINDS)[number];

export interface DomainDevices {
  emulator?: string;
  disks: DiskDef[];
  controllers: ControllerDef[];
  filesystems: FilesystemDef[];
  interfaces: InterfaceDef[];
  smartcards: SmartcardDef[];
  serials: ChrDevice[];
  parallels: ChrDevice[];
  consoles: ChrDevice[];
  channels: ChrDevice[];
  inputs: InputDef[];
  graphics: GraphicsDef[];
  sounds: SoundDef[];
  videos: VideoDef[];
  redirdevs: RedirdevDef[];
  memballoon?: MemballoonDef;
  rngs: RngDef[];
  /** Other device families, kept as written. */
  raw: Partial<Record<RawDeviceKind, XmlElement[]>>;
}

export function emptyDevices(): DomainDevices {
  return {
    disks: [],
    controllers: [],
    filesystems: [],
    interfaces: [],
    smartcards: [],
    serials: [],
    parallels: [],
    consoles: [],
    channels: [],
    inputs: [],
    graphics: [],
    sounds: [],
    videos: [],
    redirdevs: [],
    rngs: [],
    raw: {},
  };
}

export function parseDevices(root: XmlElement, def: DomainDef, ctx: ParseContext): void {
  const devices = emptyDevices();
  def.devices = devices;
  const el = firstChild(root, 'devices');
  if (!el) return;
  devices.emulator = childString(el, 'emulator');
  for (const d of elementsOf(el)) {
    switch (d.name) {
      case 'disk':
        devices.disks.push(parseDisk(d, ctx));
        break;
      case 'controller':
        devices.controllers.push(parseController(d, ctx));
        break;
      case 'filesystem':
        devices.filesystems.push(parseFilesystem(d, ctx));
        break;
      case 'interface':
        devices.interfaces.push(parseInterface(d, ctx));
        break;
      case 'smartcard':
        devices.smartcards.push(parseSmartcard(d, ctx));
        break;
      case 'serial':
        devices.serials.push(parseChrDevice(d, 'serial', ctx));
        break;
      case 'parallel':
        devices.parallels.push(parseChrDevice(d, 'parallel', ctx));
        break;
      case 'console':
        devices.consoles.push(parseChrDevice(d, 'console', ctx));
        break;
      case 'channel':
        devices.channels.push(parseChrDevice(d, 'channel', ctx));
        break;
      case 'input':
        devices.inputs.push(parseInput(d, ctx, def.os.type, def.os.arch, def.type));
        break;
      case 'graphics':
        devices.graphics.push(parseGraphics(d, ctx));
        break;
      case 'sound':
        devices.sounds.push(parseSound(d, ctx));
        break;
      case 'video':
        devices.videos.push(parseVideo(d, ctx));
        break;
      case 'redirdev':
        devices.redirdevs.push(parseRedirdev(d, ctx));
        break;
      case 'memballoon':
        // Only one balloon is possible; libvirt reads the first.
        if (!devices.memballoon) devices.memballoon = parseMemballoon(d, ctx);
        break;
      case 'rng':
        devices.rngs.push(parseRng(d, ctx));
        break;
      default:
        if ((RAW_DEVICE_KINDS as readonly string[]).includes(d.name)) {
          const kind = d.name as RawDeviceKind;
          const list = devices.raw[kind] ?? [];
          list.push(kind === 'redirfilter' ? canonicalRedirFilter(d) : d);
          devices.raw[kind] = list;
        }
        break;
    }
  }
}

export function formatDevices(w: XmlWriter, def: DomainDef, ctx: FormatContext): void {
  const d = def.devices;
  // Always written as an open/close pair, even when empty, as libvirt does.
  w.open('devices');
  const raw = (kind: RawDeviceKind) => {
    for (const e of d.raw[kind] ?? []) w.raw(e);
  };
  if (d.emulator !== undefined) w.text('emulator', d.emulator);
  for (const x of d.disks) formatDisk(w, x, ctx);
  for (const x of d.controllers) formatController(w, x, ctx);
  raw('lease');
  for (const x of d.filesystems) formatFilesystem(w, x, ctx);
  for (const x of d.interfaces) formatInterface(w, x, ctx);
  for (const x of d.smartcards) formatSmartcard(w, x, ctx);
  for (const x of d.serials) formatChrDevice(w, x, ctx);
  for (const x of d.parallels) formatChrDevice(w, x, ctx);
  for (const x of d.consoles) formatChrDevice(w, x, ctx);
  // An x86-style guest's first serial port is also its console, so libvirt shows one.
  const firstSerial = d.serials[0];
  if (d.consoles.length === 0 && firstSerial && def.os.type === 'hvm') {
    const console: ChrDevice = {
      ...firstSerial,
      deviceType: 'console',
      target: { type: 'serial', port: firstSerial.target.port },
      info: {},
    };
    formatChrDevice(w, console, ctx);
  }
  for (const x of d.channels) formatChrDevice(w, x, ctx);
  for (const x of d.inputs) formatInput(w, x, ctx);
  raw('tpm');
  for (const x of d.graphics) formatGraphics(w, x, ctx);
  for (const x of d.sounds) formatSound(w, x, ctx);
  raw('audio');
  for (const x of d.videos) formatVideo(w, x, ctx);
  raw('hostdev');
  for (const x of d.redirdevs) formatRedirdev(w, x, ctx);
  raw('redirfilter');
  raw('hub');
  raw('watchdog');
  if (d.memballoon) formatMemballoon(w, d.memballoon, ctx);
  for (const x of d.rngs) formatRng(w, x, ctx);
  raw('nvram');
  raw('panic');
  raw('shmem');
  raw('memory');
  raw('iommu');
  raw('vsock');
  raw('crypto');
  raw('pstore');
  w.close('devices');
}
