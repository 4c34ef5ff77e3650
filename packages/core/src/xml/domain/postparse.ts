/**
 * libvirt's generic post-parse step: defaults that depend on more than one element, and the
 * implicit devices (controllers for disks, virtio-serial and smartcards) that every driver
 * gets before its own hooks run.
 */
import type { ParseContext } from './context.js';
import type { ChrDevice } from './devices/chardev.js';
import type { ControllerDef, ControllerType } from './devices/controller.js';
import { diskNameToIndex } from './devices/disk.js';
import { defaultVideoRam, defaultVideoType } from './devices/video.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlError } from './util/errors.js';

export interface PostParseOptions {
  /** Architecture for <type> without arch= (the host's, as libvirt's generic parser uses). */
  defaultArch: string;
}

export function postParse(def: DomainDef, ctx: ParseContext, opts: PostParseOptions): void {
  postParseMemory(def);
  if (!def.os.arch) def.os.arch = opts.defaultArch;
  postParseVcpuPlacement(def);
  postParseBoot(def);
  sortDisks(def);
  postParseControllers(def);
  assignDriveAddresses(def);
  postParseChardevs(def);
  postParseVideo(def);
  void ctx;
}

/**
 * Devices implied by others (controllers for disks, virtio-serial ports and smartcards). As in
 * libvirt, this runs after a driver's own post-parse, so the driver's default devices come first.
 */
export function postParseImplicitDevices(def: DomainDef): void {
  // Before any controller is added or any address handed out, as libvirt's common post-parse.
  rejectDuplicateControllers(def);
  addImplicitControllers(def);
}

/** Two controllers of one type may not share an index (USB companions excepted). */
export function rejectDuplicateControllers(def: DomainDef): void {
  const seen = new Set<string>();
  for (const c of def.devices.controllers) {
    // USB companion controllers (EHCI plus its UHCIs) share one index.
    if (c.type === 'usb') continue;
    const key = `${c.type}/${c.index}`;
    if (seen.has(key)) throw xmlError(`Multiple '${c.type}' controllers with index '${c.index}'`);
    seen.add(key);
  }
}

function postParseMemory(def: DomainDef): void {
  const cells = def.cpu?.numa;
  // Without guest NUMA cells the whole guest is node 0: pages pinned to just that node are the default size.
  if (!cells?.length)
    for (const page of def.memoryBacking?.hugepages ?? []) if (page.nodeset === '0') delete page.nodeset;
  if (def.memory === 0 && cells?.length) def.memory = cells.reduce((sum, c) => sum + c.memory, 0);
  if (def.currentMemory === 0 || def.currentMemory > def.memory) def.currentMemory = def.memory;
}

function postParseVcpuPlacement(def: DomainDef): void {
  // vCPUs placed automatically place the guest's memory automatically too, unless <numatune> says.
  if (def.vcpu.placement === 'auto' && !def.numatune?.memory) {
    def.numatune = { memnodes: def.numatune?.memnodes ?? [], memory: { mode: 'strict', placement: 'auto' } };
  }
  const memPlacement = def.numatune?.memory?.placement;
  // Memory placed by numad takes the vCPUs along when nothing pins them, whatever <vcpu> says.
  const t = def.cputune;
  const pinned = !!t && (t.vcpupins.length > 0 || t.emulatorpin !== undefined || t.iothreadpins.length > 0);
  if (memPlacement === 'auto' && def.vcpu.cpuset === undefined && !pinned) def.vcpu.placement = 'auto';
  if (!def.vcpu.placement)
    def.vcpu.placement = def.vcpu.cpuset === undefined && memPlacement === 'auto' ? 'auto' : 'static';
  if (def.vcpu.placement === 'auto') delete def.vcpu.cpuset;
}

function deviceBootOrders(def: DomainDef): number[] {
  const d = def.devices;
  const orders: number[] = [];
  for (const list of [d.disks, d.interfaces, d.filesystems, d.redirdevs]) {
    for (const dev of list) if (dev.info.boot) orders.push(dev.info.boot.order);
  }
  // Host devices are kept as written; their <boot order> counts too.
  for (const h of d.raw.hostdev ?? []) {
    const boot = h.nodes.find((n) => typeof n !== 'string' && n.name === 'boot');
    const order = boot && typeof boot !== 'string' ? Number(boot.attrs.order) : Number.NaN;
    if (Number.isInteger(order) && order > 0) orders.push(order);
  }
  return orders;
}

function postParseBoot(def: DomainDef): void {
  const orders = deviceBootOrders(def);
  const seen = new Set<number>();
  for (const o of orders) {
    if (seen.has(o)) throw xmlError(`boot order '${o}' used for more than one device`);
    seen.add(o);
  }
  if (orders.length && def.os.boot?.length)
    throw unsupported('per-device boot elements cannot be used together with os/boot elements');
  if (def.os.type === 'hvm' && !def.os.boot?.length && orders.length === 0) def.os.boot = ['hd'];
}

const USB2_GROUP = ['ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3'];

/** libvirt files each disk among those on its bus, ordered by target name (hda before hdc). */
function sortDisks(def: DomainDef): void {
  const sorted: DomainDef['devices']['disks'] = [];
  for (const disk of def.devices.disks) {
    const idx = diskNameToIndex(disk.target.dev);
    let at = -1;
    for (let i = sorted.length - 1; i >= 0; i--) {
      const cur = sorted[i]!;
      if (cur.target.bus !== disk.target.bus) continue;
      if (diskNameToIndex(cur.target.dev) > idx) at = i;
      else if (at === -1) at = i + 1;
    }
    if (at === -1) sorted.push(disk);
    else sorted.splice(at, 0, disk);
  }
  def.devices.disks = sorted;
}

function postParseControllers(def: DomainDef): void {
  const list = def.devices.controllers;
  list.forEach((c, i) => {
    if (c.index >= 0) return;
    // An ICH9 USB2 controller without an index joins the EHCI/UHCI set just before it, when
    // that set still lacks its model: companions are written one after the other.
    const prev = list[i - 1];
    if (
      c.type === 'usb' &&
      prev?.type === 'usb' &&
      USB2_GROUP.includes(c.model ?? '') &&
      USB2_GROUP.includes(prev.model ?? '')
    ) {
      const taken = list.some((o) => o.type === 'usb' && o.index === prev.index && o.model === c.model);
      if (!taken) {
        c.index = prev.index;
        return;
      }
    }
    let idx = 0;
    while (list.some((o) => o !== c && o.type === c.type && o.index === idx)) idx++;
    c.index = idx;
  });
  // ICH9 UHCI companions serve their EHCI's ports two by two.
  for (const c of list) {
    if (c.type === 'usb' && c.info.masterStartport === undefined && /^ich9-uhci[123]$/.test(c.model ?? ''))
      c.info.masterStartport = (Number(c.model!.slice(-1)) - 1) * 2;
  }
  // libvirt files each parsed controller among those of its type by index, companion USB
  // controllers (those with <master>) after the controller they serve.
  const sorted: ControllerDef[] = [];
  for (const c of def.devices.controllers) {
    let at = -1;
    for (let i = sorted.length - 1; i >= 0; i--) {
      const cur = sorted[i]!;
      if (cur.type !== c.type) continue;
      const companionAfter =
        cur.index === c.index && cur.info.masterStartport !== undefined && c.info.masterStartport === undefined;
      if (cur.index > c.index || companionAfter) at = i;
      else if (at === -1) at = i + 1;
    }
    if (at === -1) sorted.push(c);
    else sorted.splice(at, 0, c);
  }
  def.devices.controllers = sorted;
}

/** Fill in <address type='drive'> for disks on ide/fdc/scsi/sata from their target name. */
function assignDriveAddresses(def: DomainDef): void {
  for (const disk of def.devices.disks) {
    if (disk.info.address) continue;
    const idx = diskNameToIndex(disk.target.dev);
    if (idx < 0) throw xmlError(`Unknown disk name '${disk.target.dev}' and no address specified`);
    switch (disk.target.bus) {
      case 'ide':
        disk.info.address = {
          type: 'drive',
          controller: Math.floor(idx / 4),
          bus: Math.floor((idx % 4) / 2),
          target: 0,
          unit: idx % 2,
        };
        break;
      case 'fdc':
        disk.info.address = { type: 'drive', controller: Math.floor(idx / 2), bus: 0, target: 0, unit: idx % 2 };
        break;
      case 'scsi': {
        const addr = { controller: Math.floor(idx / 7), bus: 0, target: 0, unit: idx % 7 };
        // The name-derived address must not be one a SCSI host device already took.
        if (scsiHostdevAt(def, addr))
          throw unsupported(
            `using disk target name '${disk.target.dev}' conflicts with SCSI host device address controller='${addr.controller}' bus='${addr.bus}' target='${addr.target}' unit='${addr.unit}`,
          );
        disk.info.address = { type: 'drive', ...addr };
        break;
      }
      case 'sata':
        disk.info.address = { type: 'drive', controller: Math.floor(idx / 6), bus: 0, target: 0, unit: idx % 6 };
        break;
      default:
        break;
    }
  }
}

type DriveSlot = { controller: number; bus: number; target: number; unit: number };

function scsiHostdevAt(def: DomainDef, want: DriveSlot): boolean {
  return (def.devices.raw.hostdev ?? []).some((h) => {
    if (h.attrs.mode !== 'subsystem' || h.attrs.type !== 'scsi') return false;
    const a = h.nodes.find((n) => typeof n !== 'string' && n.name === 'address');
    if (!a || typeof a === 'string' || a.attrs.type !== 'drive') return false;
    const n = (k: string) => Number(a.attrs[k] ?? '0');
    return (
      n('controller') === want.controller &&
      n('bus') === want.bus &&
      n('target') === want.target &&
      n('unit') === want.unit
    );
  });
}

function assignPorts(list: ChrDevice[]): void {
  for (const chr of list) {
    if (chr.target.port !== undefined) continue;
    let max = -1;
    for (const o of list) if (o.target.port !== undefined && o.target.port > max) max = o.target.port;
    chr.target.port = max + 1;
  }
}

function postParseChardevs(def: DomainDef): void {
  const d = def.devices;
  assignPorts(d.serials);
  assignPorts(d.parallels);
  for (const c of d.consoles) c.target.type ??= 'serial';
  // On x86-style guests the first serial console is the first serial port seen twice.
  const first = d.consoles[0];
  if (def.os.type === 'hvm' && first && first.target.type === 'serial') {
    if (d.serials.length === 0) {
      d.serials.push({
        deviceType: 'serial',
        source: structuredClone(first.source),
        target: { port: first.target.port ?? 0 },
        info: {},
      });
    } else {
      const serial = d.serials[0]!;
      first.source = structuredClone(serial.source);
      first.target.port = serial.target.port;
    }
  } else if (def.os.type === 'hvm' && first && d.serials.length > 0) {
    // A guest with a serial port whose first console is another kind still gets the serial
    // port as its console 0; the other consoles move up one port.
    const serial = d.serials[0]!;
    d.consoles.unshift({
      deviceType: 'console',
      source: structuredClone(serial.source),
      target: { type: 'serial', port: serial.target.port ?? 0 },
      info: {},
    });
    d.consoles.forEach((c, i) => {
      if (i > 0) c.target.port = i;
    });
  }
  assignPorts(d.consoles);
}

function hasController(def: DomainDef, type: ControllerType, index: number): boolean {
  return def.devices.controllers.some((c) => c.type === type && c.index === index);
}

/**
 * Add a controller where libvirt inserts one: after the last controller of its type with a lower
 * index, before one with a higher index, or at the end when it is the first of its type.
 */
function addController(def: DomainDef, type: ControllerType, index: number): void {
  if (hasController(def, type, index)) return;
  const c: ControllerDef = { type, index, info: {} };
  const list = def.devices.controllers;
  let at = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    const cur = list[i]!;
    if (cur.type !== type) continue;
    if (cur.index > index) at = i;
    else if (at === -1) at = i + 1;
  }
  if (at === -1) list.push(c);
  else list.splice(at, 0, c);
}

/** Controllers implied by devices that sit on them, added in libvirt's order. */
function addImplicitControllers(def: DomainDef): void {
  const d = def.devices;
  const forDisks = (type: ControllerType, bus: string) => {
    let max = -1;
    for (const disk of d.disks) {
      if (disk.target.bus === bus && disk.info.address?.type === 'drive' && disk.info.address.controller > max) {
        max = disk.info.address.controller;
      }
    }
    for (let i = 0; i <= max; i++) addController(def, type, i);
  };
  forDisks('scsi', 'scsi');
  forDisks('fdc', 'fdc');
  forDisks('ide', 'ide');
  forDisks('sata', 'sata');

  for (const chr of [...d.channels, ...d.consoles]) {
    if (chr.target.type !== 'virtio') continue;
    const idx = chr.info.address?.type === 'virtio-serial' ? chr.info.address.controller : 0;
    addController(def, 'virtio-serial', idx);
  }

  for (const sc of d.smartcards) {
    let idx = 0;
    if (sc.info.address?.type === 'ccid') idx = sc.info.address.controller;
    else if (!sc.info.address) {
      let max = -1;
      for (const c of d.controllers) if (c.type === 'ccid' && c.index > max) max = c.index;
      if (max === -1) {
        addController(def, 'ccid', 0);
        max = 0;
      }
      sc.info.address = { type: 'ccid', controller: max, slot: 0 };
      idx = max;
    }
    addController(def, 'ccid', idx);
  }
}

function postParseVideo(def: DomainDef): void {
  const videos = def.devices.videos;
  if (videos.length === 0) return;
  // The primary card goes first, as libvirt lists it.
  const primary = videos.findIndex((v) => v.primary);
  if (primary > 0) videos.unshift(...videos.splice(primary, 1));
  for (const v of videos) {
    if (v.type === 'default') {
      const t = defaultVideoType(def.type, def.os.type, def.os.arch);
      v.type = t;
    }
    if (v.type === 'none') continue;
    v.vram ??= defaultVideoRam(def.type, v.type);
    if (v.type === 'qxl') v.ram ??= 64 * 1024;
    v.heads ??= 1;
  }
  if (!videos.some((v) => v.primary) && videos[0]!.type !== 'none') videos[0]!.primary = true;
}
