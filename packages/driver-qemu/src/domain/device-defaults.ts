/**
 * Per-device defaults of the qemu driver (libvirt's qemuDomainDeviceDefPostParse): models,
 * disk drivers and formats, serial targets. Run after the generic implicit devices exist, so
 * controllers added for disks get their models too.
 */
import type { ControllerDef, DomainDef, DomainParseFlags } from '@tsvirt/core';
import { hasFlag, type QemuCaps } from '../capabilities/qemu-caps.js';
import { childOf, element, rawDevices } from './devices-util.js';
import { qemuConfigError, qemuXmlError } from './errors.js';
import { isI440fx, isQ35, isX86 } from './machine.js';

/** qxl's VGA memory when none is given (KiB). */
const QXL_VGAMEM_DEFAULT = 16 * 1024;
const XHCI_MAX_PORTS = 15;

export function qemuDeviceDefaults(def: DomainDef, caps: QemuCaps, flags: DomainParseFlags = {}): void {
  const d = def.devices;
  for (const disk of d.disks) {
    disk.driver ??= {};
    disk.driver.name ??= 'qemu';
    if (disk.driver.type === undefined && disk.type !== 'volume') disk.driver.type = 'raw';
    // Encrypted images are opened by QEMU itself unless the host's librbd is asked to.
    if (disk.encryption) defaultEncryptionEngine(disk.encryption);
    // vhost-user disks cannot be snapshotted by QEMU.
    if (disk.type === 'vhostuser') disk.snapshot ??= 'no';
    if (disk.backingStore) forEachElement(disk.backingStore, 'encryption', defaultEncryptionEngine);
  }
  for (const net of d.interfaces) {
    if (net.model !== undefined || net.type === 'hostdev') continue;
    if (net.type === 'vdpa' || net.type === 'vhostuser') net.model = 'virtio';
    else net.model = defaultNetModel(caps);
  }
  d.videos.forEach((v, i) => {
    if (v.type !== 'default') {
      if (v.type === 'qxl') v.vgamem ??= QXL_VGAMEM_DEFAULT;
      return;
    }
    // An implicit card: the generic video defaults ran before it existed.
    v.type = defaultVideoType(caps);
    if (v.type === 'cirrus' || v.type === 'vga') v.vram ??= 16 * 1024;
    v.heads ??= 1;
    if (i === 0) v.primary ??= true;
  });
  for (const c of d.controllers) controllerDefaults(def, c, caps);
  for (const s of d.serials) {
    if (s.target.type === undefined && isX86(def)) s.target.type = 'isa-serial';
    if (s.target.model === undefined) {
      const model = SERIAL_MODELS[s.target.type ?? ''];
      if (model) s.target.model = model;
    }
  }
  if (flags.inactive) for (const chr of d.channels) dropGeneratedChannelPath(def, chr);
  for (const h of rawDevices(def, 'hostdev')) hostdevDefaults(h);
  for (const shm of rawDevices(def, 'shmem')) shmemDefaults(shm);
  for (const tpm of rawDevices(def, 'tpm')) tpmDefaults(def, tpm);
  for (const vsock of rawDevices(def, 'vsock')) vsock.attrs.model ??= 'virtio';
  for (const panic of rawDevices(def, 'panic')) if (panic.attrs.model === undefined) panic.attrs.model = 'isa';
}

const SERIAL_MODELS: Record<string, string> = {
  'isa-serial': 'isa-serial',
  'usb-serial': 'usb-serial',
  'pci-serial': 'pci-serial',
  'spapr-vio-serial': 'spapr-vty',
  'sclp-serial': 'sclpconsole',
  'isa-debug': 'isa-debugcon',
};

function defaultNetModel(caps: QemuCaps): string {
  if (hasFlag(caps, 'rtl8139')) return 'rtl8139';
  if (hasFlag(caps, 'e1000')) return 'e1000';
  if (hasFlag(caps, 'virtio-net')) return 'virtio';
  return 'rtl8139';
}

function defaultVideoType(caps: QemuCaps): 'cirrus' | 'vga' | 'default' {
  if (hasFlag(caps, 'cirrus-vga')) return 'cirrus';
  if (hasFlag(caps, 'VGA')) return 'vga';
  return 'default';
}

function controllerDefaults(def: DomainDef, c: ControllerDef, caps: QemuCaps): void {
  switch (c.type) {
    case 'scsi':
      if (c.model === undefined || c.model === 'auto') {
        const model = hasFlag(caps, 'lsi') ? 'lsilogic' : hasFlag(caps, 'virtio-scsi-pci') ? 'virtio-scsi' : undefined;
        if (!model) throw qemuConfigError(`Unable to determine model for SCSI controller idx=${c.index}`);
        c.model = model;
      }
      break;
    case 'usb':
      if (c.model === undefined && isX86(def) && hasFlag(caps, 'piix3-usb-uhci')) c.model = 'piix3-uhci';
      if (c.model === 'none') delete c.info.address;
      if ((c.model === 'nec-xhci' || c.model === 'qemu-xhci') && (c.ports ?? 0) > XHCI_MAX_PORTS)
        throw qemuConfigError(`'${c.model}' controller only supports up to '${XHCI_MAX_PORTS}' ports`);
      break;
    case 'pci':
      pciControllerChecks(def, c);
      break;
    default:
      break;
  }
}

/**
 * What libvirt refuses while it post-parses a PCI controller, before any address is handed
 * out: a second root bus, an expander bus the machine type has no place for, and a NUMA node
 * the guest does not have.
 */
function pciControllerChecks(def: DomainDef, c: ControllerDef): void {
  const pseries = def.os.machine?.startsWith('pseries') === true;
  if (!pseries && (c.model === 'pci-root' || c.model === 'pcie-root') && c.index !== 0)
    throw qemuXmlError('pci-root and pcie-root controllers should have index 0');
  if (c.model === 'pci-expander-bus' && !isI440fx(def))
    throw qemuConfigError('pci-expander-bus controllers are only supported on 440fx-based machinetypes');
  if (c.model === 'pcie-expander-bus' && !isQ35(def) && !isArmVirt(def))
    throw qemuConfigError('pcie-expander-bus controllers are not supported with this machine type');
  const cells = def.cpu?.numa?.length ?? 0;
  if (c.targetNode !== undefined && c.targetNode >= cells)
    throw qemuXmlError(
      `${c.model} with index ${c.index} is configured for a NUMA node (${c.targetNode}) not present in the domain's <cpu><numa> array (${cells})`,
    );
}

function isArmVirt(def: DomainDef): boolean {
  const arch = def.os.arch ?? '';
  const m = def.os.machine ?? '';
  return (arch === 'aarch64' || arch === 'armv7l') && (m === 'virt' || m.startsWith('virt-'));
}

/** tpm-tis on x86 stays TPM 1.2, as it historically was; everything else gets TPM 2.0. */
function tpmDefaults(def: DomainDef, tpm: import('@tsvirt/core').XmlElement): void {
  tpm.attrs.model ??= 'tpm-tis';
  const backend = tpm.nodes.find((n) => typeof n !== 'string' && n.name === 'backend');
  if (!backend || typeof backend === 'string' || backend.attrs.type !== 'emulator') return;
  if (backend.attrs.version === undefined) {
    backend.attrs.version = tpm.attrs.model === 'tpm-tis' && isX86(def) ? '1.2' : '2.0';
  }
  void element;
}

/**
 * Subsystem host devices always say whether libvirt manages them (managed='no' unless asked),
 * and vfio-pci mediated devices default to display='off' so a new QEMU cannot change it.
 * Core keeps <hostdev> as written, so the attributes are put in libvirt's order here.
 */
function hostdevDefaults(h: import('@tsvirt/core').XmlElement): void {
  if (h.attrs.mode !== 'subsystem') return;
  const attrs: Record<string, string> = { mode: 'subsystem' };
  if (h.attrs.type !== undefined) attrs.type = h.attrs.type;
  attrs.managed = h.attrs.managed === 'yes' ? 'yes' : 'no';
  for (const k in h.attrs) if (!(k in attrs)) attrs[k] = h.attrs[k]!;
  if (attrs.type === 'mdev' && attrs.model === 'vfio-pci' && attrs.display === undefined) attrs.display = 'off';
  h.attrs = attrs;
  // An iSCSI host device without a LUN means LUN 0, as for disks.
  const src = childOf(h, 'source');
  if (attrs.type === 'scsi' && src?.attrs.protocol === 'iscsi' && src.attrs.name && !src.attrs.name.includes('/'))
    src.attrs.name = `${src.attrs.name}/0`;
  // The host device's own PCI address is written in hex, however it was given.
  const srcAddr = attrs.type === 'pci' ? childOf(childOf(h, 'source') ?? h, 'address') : undefined;
  if (srcAddr && childOf(h, 'source')) {
    const widths: Record<string, number> = { domain: 4, bus: 2, slot: 2, function: 1 };
    for (const k of Object.keys(widths)) {
      const v = srcAddr.attrs[k];
      if (v === undefined) continue;
      const n = /^0x/i.test(v) ? Number.parseInt(v, 16) : Number(v);
      if (Number.isInteger(n)) srcAddr.attrs[k] = `0x${n.toString(16).padStart(widths[k]!, '0')}`;
    }
  }
}

const CHANNEL_TARGET_DIR = '/var/lib/libvirt/qemu/channel/target';
const OLD_CHANNEL_DIRS = /^\/(var\/lib|var\/run|run)\/libvirt\/qemu\/channel\/[0-9]+-[^/]+\//;

/**
 * A virtio channel socket under libvirt's own channel folders was generated for a past run;
 * a persistent definition forgets it so the next start generates a fresh one.
 */
function dropGeneratedChannelPath(def: DomainDef, chr: import('@tsvirt/core').ChrDevice): void {
  const src = chr.source;
  if (chr.target.type !== 'virtio' || src.type !== 'unix' || !src.path) return;
  const p = src.path;
  const generated =
    p.startsWith(`${CHANNEL_TARGET_DIR}/${def.name}.`) ||
    p.startsWith(`${CHANNEL_TARGET_DIR}/domain-`) ||
    OLD_CHANNEL_DIRS.test(p);
  if (!generated) return;
  delete src.path;
  src.mode = 'bind';
}

type Xml = import('@tsvirt/core').XmlElement;

/** Insert a child element right after the last of `after` present (or first). */
function insertChild(el: Xml, child: Xml, after: readonly string[]): void {
  let at = 0;
  el.nodes.forEach((n, i) => {
    if (typeof n !== 'string' && after.includes(n.name)) at = i + 1;
  });
  el.nodes.splice(at, 0, child);
}

/**
 * ivshmem defaults: 4 MiB of shared memory unless the size comes from a server
 * (ivshmem-doorbell), which also always uses MSI with ioeventfd on unless told otherwise.
 */
function shmemDefaults(shm: Xml): void {
  const model = childOf(shm, 'model')?.attrs.type ?? 'ivshmem';
  const server = childOf(shm, 'server');
  if (model !== 'ivshmem-doorbell' && !childOf(shm, 'size'))
    insertChild(shm, element('size', { unit: 'M' }, ['4']), ['model']);
  if (server && model !== 'ivshmem-plain') {
    let msi = childOf(shm, 'msi');
    if (!msi) {
      msi = element('msi', {});
      insertChild(shm, msi, ['model', 'size', 'server']);
    }
    msi.attrs.ioeventfd ??= 'on';
  }
}

function defaultEncryptionEngine(enc: Xml): void {
  if (enc.attrs.engine !== undefined) return;
  const { format, ...rest } = enc.attrs;
  enc.attrs = format === undefined ? { engine: 'qemu', ...rest } : { format, engine: 'qemu', ...rest };
}

function forEachElement(el: Xml, name: string, fn: (e: Xml) => void): void {
  for (const n of el.nodes) {
    if (typeof n === 'string') continue;
    if (n.name === name) fn(n);
    else forEachElement(n, name, fn);
  }
}
