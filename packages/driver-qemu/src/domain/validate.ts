/**
 * The qemu driver's checks on a parsed definition (a part of libvirt's qemu_validate.c and of
 * the qemu post-parse errors): configurations QEMU cannot run, refused with libvirt's words.
 */
import type { DiskDef, DomainDef, XmlElement } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { assignUsbPorts } from '../command/usb-ports.js';
import type { QemuDriverConfig } from './config.js';
import { childOf, findController, rawDevices } from './devices-util.js';
import { qemuConfigError, qemuInternalError, qemuXmlError } from './errors.js';
import { isQ35 } from './machine.js';
import { qemuValidateRules } from './validate-rules.js';

export function qemuValidate(def: DomainDef, caps: QemuCaps, config: QemuDriverConfig = {}): void {
  validateMachine(def, caps);
  validateFeatures(def);
  validateCpu(def);
  for (const disk of def.devices.disks) validateDisk(disk);
  validateControllers(def);
  validateInputs(def);
  validateNets(def);
  validateVideos(def);
  validateGraphics(def);
  validateIommu(def);
  validateShmem(def);
  validateHostdevs(def);
  validateUsb(def);
  validateChardevs(def);
  validateArchSpecific(def);
  for (const tpm of rawDevices(def, 'tpm')) validateTpm(tpm, config);
  qemuValidateRules(def);
}

function validateTpm(tpm: XmlElement, config: QemuDriverConfig): void {
  const backend = childOf(tpm, 'backend');
  if (!backend) throw qemuXmlError('missing TPM device backend');
  // An emulated TPM is created by the host's swtpm_setup, which may lack one of the versions.
  const version = backend.attrs.version;
  const known = config.swtpmTpmVersions;
  if (backend.attrs.type === 'emulator' && version !== undefined && known && !known.includes(version))
    throw qemuConfigError(`TPM version '${version}' is not supported`);
}

function validateHostdevs(def: DomainDef): void {
  for (const h of rawDevices(def, 'hostdev')) {
    if (h.attrs.mode !== 'subsystem') continue;
    const type = h.attrs.type;
    if (type !== 'scsi') {
      if (h.attrs.rawio !== undefined) throw qemuXmlError('rawio is only supported for scsi host device');
      if (h.attrs.sgio !== undefined) throw qemuXmlError('sgio is only supported for scsi host device');
    }
    if (type === 'scsi_host' && childOf(h, 'boot'))
      throw qemuConfigError('booting from assigned devices is not supported by vhost SCSI devices');
    if (type === 'mdev' && h.attrs.display === 'on' && def.devices.graphics.length === 0)
      throw qemuConfigError("graphics device is needed for attribute value 'display=on' in <hostdev>");
  }
}

function validateUsb(def: DomainDef): void {
  const usbNone = findController(def, 'usb', 0)?.model === 'none';
  if (usbNone && rawDevices(def, 'hub').some((h) => h.attrs.type === 'usb'))
    throw qemuConfigError("Can't add USB hub: USB is disabled for this domain");
  // A USB controller other than 'none' is a PCI device: machines without PCI cannot have one.
  // Ports the definition fixes must exist (on a hub) and be free.
  assignUsbPorts(def, true);
  const m = def.os.machine;
  if ((m === 'isapc' || m === 'microvm') && def.devices.controllers.some((c) => c.type === 'usb' && c.model !== 'none'))
    throw qemuXmlError('No PCI buses available');
}

function validateMachine(def: DomainDef, caps: QemuCaps): void {
  if (def.os.arch && def.os.arch !== caps.arch && !(caps.arch === 'x86_64' && def.os.arch === 'i686'))
    throw qemuConfigError(`Emulator '${def.devices.emulator ?? caps.emulator}' does not support arch '${def.os.arch}'`);
  if (def.type !== 'qemu' && def.type !== 'kvm')
    throw qemuConfigError(
      `Emulator '${def.devices.emulator ?? caps.emulator}' does not support virt type '${def.type}'`,
    );
}

function validateFeatures(def: DomainDef): void {
  const f = def.features;
  if (f?.ps2?.on === false && f.vmport?.on === true)
    throw qemuConfigError('vmport feature requires the ps2 feature not to be disabled');
  const tseg = f?.smm?.tseg;
  if (f?.smm?.on && tseg !== undefined && tseg % (1024 * 1024) !== 0)
    throw qemuConfigError('SMM TSEG size must be divisible by 1 MiB');
}

function validateCpu(def: DomainDef): void {
  const cpu = def.cpu;
  if (!cpu) return;
  if (cpu.cache) {
    const passthroughCpu = cpu.mode === 'host-passthrough' || cpu.mode === 'maximum';
    if (cpu.cache.mode === 'emulate' && cpu.cache.level !== 3)
      throw qemuConfigError("CPU cache mode 'emulate' can only be used with level='3'");
    if (cpu.cache.mode === 'passthrough' && !passthroughCpu)
      throw qemuConfigError("CPU cache mode 'passthrough' can only be used with 'host-passthrough' / 'maximum' CPUs");
  }
  if (cpu.maxphysaddr?.mode === 'passthrough' && cpu.maxphysaddr.bits !== undefined)
    throw qemuConfigError(
      "CPU maximum physical address bits number specification cannot be used with mode='passthrough'",
    );
}

const DRIVE_BUSES = new Set(['ide', 'fdc', 'scsi', 'sata']);

function validateDisk(disk: DiskDef): void {
  const dev = disk.target.dev;
  if (/[0-9]$/.test(dev))
    throw qemuConfigError(`invalid disk target '${dev}', partitions can't appear in disk targets`);
  const fmt = disk.driver?.type;
  if (fmt === 'dir')
    throw qemuConfigError("'directory' storage format is not directly supported by QEMU, use 'dir' disk type instead");
  if (fmt === 'iso') throw qemuConfigError("storage format 'iso' is not directly supported by QEMU, use 'raw' instead");
  if (disk.device === 'lun' && disk.type !== 'block' && !(disk.type === 'network' && disk.source?.protocol === 'iscsi'))
    throw qemuConfigError("disk device='lun' is only valid for block type disk source");
  if (disk.source?.protocol === 'sheepdog')
    throw qemuConfigError("'sheepdog' protocol is no longer supported by any hypervisor driver");
  const bus = disk.target.bus;
  const addr = disk.info.address;
  if (addr && DRIVE_BUSES.has(bus) && addr.type !== 'drive')
    throw qemuConfigError(`Invalid address type '${addr.type}' for the disk '${dev}' with the bus type '${bus}'`);
  if (bus === 'usb') {
    if (addr && addr.type !== 'usb') throw qemuInternalError('unexpected address type for usb disk');
    const empty = !disk.source || (disk.source.path === undefined && disk.source.name === undefined);
    if (empty) throw qemuConfigError("'usb' disk must not be empty");
  }
  if (disk.device === 'lun' && bus === 'virtio')
    throw qemuConfigError("This QEMU doesn't support SCSI emulation with 'virtio-blk' device");
  const enc = disk.encryption;
  if (enc?.attrs.format === 'luks') {
    if (fmt !== undefined && fmt !== 'raw' && fmt !== 'qcow2')
      throw qemuConfigError("encryption is supported only with 'raw' and 'qcow2' image format");
    if (childOf(enc, 'cipher')) throw qemuConfigError('supplying <cipher> for domain disk definition is unnecessary');
  }
  if (disk.vendor !== undefined && bus !== 'scsi') throw qemuConfigError("Only scsi disk supports 'vendor'");
  if ((disk.vendor?.length ?? 0) > 8) throw qemuConfigError('disk vendor is more than 8 characters');
  if ((disk.product?.length ?? 0) > 16) throw qemuConfigError('disk product is more than 16 characters');
}

function validateControllers(def: DomainDef): void {
  for (const c of def.devices.controllers) {
    if (c.type !== 'pci') continue;
    // Index, machine type and NUMA node were checked when the controller was post-parsed.
    if ((c.model === 'pci-root' || c.model === 'pcie-root') && c.info.address)
      throw qemuConfigError('pci-root and pcie-root controllers should not have an address');
  }
  // Memory hotplug gives each DIMM to a guest NUMA node, so there must be one (pSeries adds its own).
  if (def.maxMemory && (def.cpu?.numa?.length ?? 0) === 0 && !def.os.arch?.startsWith('ppc64'))
    throw qemuConfigError('At least one numa node has to be configured when enabling memory hotplug');
}

function validateInputs(def: DomainDef): void {
  const usbNone = findController(def, 'usb', 0)?.model === 'none';
  for (const i of def.devices.inputs) {
    if (i.bus === 'ps2' && def.features?.ps2?.on === false)
      throw qemuConfigError('ps2 bus inputs require the ps2 feature not to be disabled');
    if (i.bus === 'usb' && usbNone) throw qemuConfigError("Can't add USB input device. USB bus is disabled");
    if (
      (i.model === 'virtio-transitional' || i.model === 'virtio-non-transitional') &&
      i.type !== 'passthrough' &&
      i.bus === 'virtio'
    )
      throw qemuConfigError(`virtio (non-)transitional models are not supported for input type=${i.type}`);
  }
}

/** vhost-user back ends map guest RAM: it must be shared, domain-wide or in every NUMA cell. */
function hasSharedMemory(def: DomainDef): boolean {
  const global = def.memoryBacking?.access;
  const cells = def.cpu?.numa ?? [];
  if (cells.length === 0) return global === 'shared';
  return cells.every((c) => (c.memAccess ?? global) === 'shared');
}

function validateNets(def: DomainDef): void {
  for (const net of def.devices.interfaces) {
    if (net.type === 'vhostuser' && net.backend?.type === 'passt' && !hasSharedMemory(def))
      throw qemuConfigError("'interface' requires shared memory");
    const size = net.driver?.rx_queue_size;
    if (size !== undefined) {
      const n = Number(size);
      if (!Number.isInteger(n) || n <= 0 || (n & (n - 1)) !== 0)
        throw qemuConfigError('rx_queue_size has to be a power of two');
    }
  }
}

function validateVideos(def: DomainDef): void {
  const videos = def.devices.videos;
  if (videos.length > 1 && videos.some((v) => v.type === 'none'))
    throw qemuConfigError("a 'none' video type must be the only video device defined for the domain");
  if (videos.filter((v) => v.primary).length > 1) throw qemuConfigError('Only one primary video device is supported');
  for (const v of videos)
    if (v.type === 'ramfb' && v.info.address) throw qemuConfigError('address not supported for video type ramfb');
}

function validateGraphics(def: DomainDef): void {
  const g = def.devices.graphics;
  if (
    g.some((x) => x.type === 'egl-headless') &&
    g.some((x) => x.type !== 'egl-headless' && x.type !== 'vnc' && x.type !== 'spice')
  )
    throw qemuConfigError("graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types");
}

function validateIommu(def: DomainDef): void {
  for (const iommu of rawDevices(def, 'iommu')) {
    if (iommu.attrs.model !== 'virtio') continue;
    if (!isQ35(def)) throw qemuConfigError("IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines");
    if (!def.features?.acpi?.on) throw qemuConfigError("IOMMU device: 'virtio' requires ACPI");
    const addr = childOf(iommu, 'address');
    if (addr && addr.attrs.type !== 'pci') throw qemuConfigError("IOMMU device: 'virtio' needs a PCI address");
  }
}

function validateShmem(def: DomainDef): void {
  for (const shm of rawDevices(def, 'shmem')) {
    if (childOf(shm, 'msi') && !childOf(shm, 'server'))
      throw qemuXmlError('msi option is only supported with a server');
  }
}

function validateChardevs(def: DomainDef): void {
  const d = def.devices;
  for (const chr of [...d.serials, ...d.parallels, ...d.channels, ...d.consoles]) {
    if (chr.source.type === 'tcp' && chr.source.protocol === 'tls')
      throw qemuConfigError("tcp chardev protocol 'tls' not supported");
  }
}

/** Serial target types and their default models that only exist on other architectures. */
const FOREIGN_SERIAL_MODELS: Record<string, string> = {
  'spapr-vio-serial': 'spapr-vty',
  'system-serial': 'pl011',
  'sclp-serial': 'sclpconsole',
};
const PSERIES_FEATURES = ['hpt', 'htm', 'nested-hv', 'ccf-assist', 'cfpc', 'sbbc', 'ibs'] as const;

/** What only pSeries, ARM or s390 guests have, refused on an x86 one. */
function validateArchSpecific(def: DomainDef): void {
  const arch = def.os.arch ?? 'x86_64';
  if (arch !== 'x86_64' && arch !== 'i686') return;
  const machine = def.os.machine ?? '';
  const features = def.features as Record<string, unknown> | undefined;
  for (const f of PSERIES_FEATURES) {
    if (features?.[f] !== undefined)
      throw qemuConfigError(
        `The '${f}' feature is not supported for architecture '${arch}' or machine type '${machine}'`,
      );
  }
  for (const ser of def.devices.serials) {
    const type = ser.target.type;
    const model = type ? (ser.target.model ?? FOREIGN_SERIAL_MODELS[type]) : undefined;
    if (type && FOREIGN_SERIAL_MODELS[type])
      throw qemuConfigError(
        `Serial device with target type '${type}' and target model '${model}' not compatible with guest architecture or machine type`,
      );
  }
  for (const h of rawDevices(def, 'hostdev')) {
    const addr = childOf(h, 'address');
    if (addr && childOf(addr, 'zpci')) throw qemuConfigError("This QEMU binary doesn't support zPCI");
  }
}
