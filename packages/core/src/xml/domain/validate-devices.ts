/**
 * Generic per-device rules libvirt applies to every driver (domain_validate.c and the device
 * post-parse in domain_conf.c) for devices tsvirt keeps as raw XML (hostdev, shmem, iommu) and
 * for controllers.
 */
import type { XmlElement } from '../adapter.js';
import type { DiskDef } from './devices/disk.js';
import { parseAddress } from './devices/info.js';
import { validateDeviceSeclabels } from './security.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlDetail, xmlError } from './util/errors.js';
import { firstChild, textOf } from './util/parse.js';
import { scaledBytes } from './util/units.js';

export function validateDevices(def: DomainDef): void {
  validateUsbControllers(def);
  validateControllers(def);
  validateRawUsbAddresses(def);
  validateHostdevs(def);
  for (const shmem of def.devices.raw.shmem ?? []) validateShmem(shmem);
  for (const iommu of def.devices.raw.iommu ?? []) validateIommu(iommu);
  for (const net of def.devices.interfaces) {
    const passt = (net.type === 'user' || net.type === 'vhostuser') && net.backend?.type === 'passt';
    if (net.portForwards?.length && !passt)
      throw unsupported(
        "The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'",
      );
  }
  for (const disk of def.devices.disks) {
    validateDeviceSeclabels(disk.source?.extra ?? []);
    validateDiskAuth(disk);
  }
}

/** libvirt's secret usage types, and the one each authenticating protocol needs. */
const SECRET_USAGES = new Set(['none', 'volume', 'ceph', 'iscsi', 'tls', 'vtpm']);
const PROTOCOL_SECRET: Record<string, string> = { iscsi: 'iscsi', rbd: 'ceph' };

function validateDiskAuth(disk: DiskDef): void {
  if (disk.type !== 'network') return;
  const auth = disk.auth ?? disk.source?.extra?.find((e) => e.name === 'auth');
  const secret = auth && firstChild(auth, 'secret');
  if (!secret) return;
  const usage = secret.attrs.type;
  if (usage === undefined || !SECRET_USAGES.has(usage)) throw unsupported(`unknown secret type '${usage ?? '<null>'}'`);
  const want = PROTOCOL_SECRET[disk.source?.protocol ?? ''];
  if (want !== undefined && usage !== want) throw unsupported(`invalid secret type '${usage}'`);
}

/** USB model 'none' turns USB off: no other USB controller may sit beside it. */
function validateUsbControllers(def: DomainDef): void {
  const usb = def.devices.controllers.filter((c) => c.type === 'usb');
  if (usb.some((c) => c.model === 'none') && usb.some((c) => c.model !== 'none'))
    throw xmlDetail("Can't add another USB controller: USB is disabled for this domain");
}

/** Devices kept as raw XML (hubs, host devices...) still get their USB address checked. */
function validateRawUsbAddresses(def: DomainDef): void {
  for (const list of Object.values(def.devices.raw)) {
    for (const el of list ?? []) {
      const addr = firstChild(el, 'address');
      if (addr?.attrs.type === 'usb') parseAddress(addr);
    }
  }
}

const VIRTIO_SCSI_MODELS = new Set(['virtio-scsi', 'virtio-transitional', 'virtio-non-transitional']);

function validateControllers(def: DomainDef): void {
  for (const c of def.devices.controllers) {
    const iothread = c.driver?.iothread;
    if (iothread !== undefined && iothread !== '0' && !(c.type === 'scsi' && VIRTIO_SCSI_MODELS.has(c.model ?? '')))
      throw xmlError("'iothread' attribute only supported for virtio scsi controllers");
  }
}

/** Numbers in addresses may be written in hex or decimal: compare their values. */
function num(text: string | undefined): string {
  if (text === undefined) return '';
  const n = Number(text);
  return Number.isNaN(n) ? text : String(n);
}

/** What host resource a <hostdev> takes, so the same one assigned twice is found. */
function hostdevIdentity(h: XmlElement): string | undefined {
  const src = firstChild(h, 'source');
  if (!src) return undefined;
  const addr = firstChild(src, 'address');
  const mode = h.attrs.mode ?? 'subsystem';
  const type = h.attrs.type;
  if (mode === 'capabilities') {
    const what = firstChild(src, type === 'net' ? 'interface' : type === 'misc' ? 'char' : 'block');
    return `caps/${type}/${what ? textOf(what) : ''}`;
  }
  switch (type) {
    case 'pci':
      return (
        addr &&
        `pci/${num(addr.attrs.domain)}:${num(addr.attrs.bus)}:${num(addr.attrs.slot)}:${num(addr.attrs.function)}`
      );
    case 'usb': {
      const vendor = firstChild(src, 'vendor')?.attrs.id;
      const product = firstChild(src, 'product')?.attrs.id;
      return `usb/${num(vendor)}:${num(product)}/${num(addr?.attrs.bus)}:${num(addr?.attrs.device)}`;
    }
    case 'scsi': {
      if (src.attrs.protocol === 'iscsi') {
        const host = firstChild(src, 'host');
        return `iscsi/${host?.attrs.name}:${host?.attrs.port ?? ''}/${src.attrs.name}`;
      }
      const adapter = firstChild(src, 'adapter')?.attrs.name;
      return `scsi/${adapter}/${num(addr?.attrs.bus)}:${num(addr?.attrs.target)}:${num(addr?.attrs.unit)}`;
    }
    case 'scsi_host':
      return `scsi_host/${src.attrs.wwpn}`;
    case 'mdev':
      return addr?.attrs.uuid && `mdev/${addr.attrs.uuid.toLowerCase()}`;
    default:
      return undefined;
  }
}

/** The guest address types a mediated device of each model can sit at (none is always fine). */
const MDEV_ADDRESS_TYPES: Record<string, readonly string[]> = {
  'vfio-pci': ['pci'],
  'vfio-ccw': ['ccw'],
  'vfio-ap': [],
};

function validateHostdevs(def: DomainDef): void {
  const seen = new Set<string>();
  let ramfb = false;
  for (const h of def.devices.raw.hostdev ?? []) {
    if (h.attrs.type === 'mdev' && (h.attrs.mode ?? 'subsystem') === 'subsystem') {
      const srcAddr = firstChild(firstChild(h, 'source') ?? h, 'address');
      if (!srcAddr?.attrs.uuid) throw unsupported("Missing 'uuid' attribute for element <address>");
      const model = h.attrs.model ?? '';
      const target = firstChild(h, 'address')?.attrs.type;
      if (target !== undefined && MDEV_ADDRESS_TYPES[model] && !MDEV_ADDRESS_TYPES[model]!.includes(target))
        throw xmlError(`Unsupported address type '${target}' with mediated device model '${model}'`);
    }
    const id = hostdevIdentity(h);
    if (id !== undefined) {
      if (seen.has(id)) throw xmlError('Hostdev already exists in the domain configuration');
      seen.add(id);
    }
    if (h.attrs.type === 'mdev' && h.attrs.ramfb === 'on') {
      if (ramfb) throw unsupported("Only one vgpu device can have 'ramfb' enabled");
      ramfb = true;
    }
  }
}

function validateShmem(shmem: XmlElement): void {
  const size = firstChild(shmem, 'size');
  if (!size) return;
  const bytes = scaledBytes(textOf(size).trim(), size.attrs.unit, './size[1]');
  const pow2 = bytes > 0 && 2 ** Math.round(Math.log2(bytes)) === bytes;
  if (bytes !== 0 && (!pow2 || bytes < 1024 * 1024))
    throw xmlError('shmem size must be a power of 2 and at least 1 MiB (1024 KiB)');
}

/** virtio and smmuv3 IOMMUs take none of intel's tuning attributes. */
function validateIommu(iommu: XmlElement): void {
  const model = iommu.attrs.model;
  if (model !== 'virtio' && model !== 'smmuv3') return;
  const driver = firstChild(iommu, 'driver');
  if (driver && Object.keys(driver.attrs).length > 0)
    throw xmlError(`iommu model '${model}' doesn't support additional attributes`);
}
