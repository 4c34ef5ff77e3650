/** -blockdev (storage and format layers) and -device for each disk. */
import type { DiskDef, DomainDef, XmlElement } from '@tsvirt/core';
import { isQ35 } from './aliases.js';
import { storageProps } from './disk-source.js';
import { escapeComma, Props, RawNumber } from './props.js';
import { child } from './raw.js';
import { addSecret, type SecretRef, secretObject } from './secrets.js';
import type { BuildState } from './state.js';
import { buildThrottleFilters } from './throttle.js';
import { tlsCredsX509 } from './tls-creds.js';
import { iothreadVqMapping, virtioOptions, virtioVariant } from './virtio.js';

interface CacheMode {
  direct: boolean;
  noFlush: boolean;
  writeCache: boolean;
}

const CACHE: Record<string, CacheMode> = {
  none: { direct: true, noFlush: false, writeCache: true },
  writethrough: { direct: false, noFlush: false, writeCache: false },
  writeback: { direct: false, noFlush: false, writeCache: true },
  directsync: { direct: true, noFlush: false, writeCache: false },
  unsafe: { direct: false, noFlush: true, writeCache: true },
};

/** Node-name indexes: every disk counts (empty drives too), the first disk gets the highest numbers. */
function nodeIndexes(s: BuildState): Map<DiskDef, number> {
  const map = new Map<DiskDef, number>();
  // SD cards go through the legacy -drive and take no node names.
  const disks = s.def.devices.disks.filter((d) => d.target.bus !== 'sd');
  // Counted from the last disk up; a disk's throttle filters take the numbers after its own.
  let next = 1;
  for (const d of [...disks].reverse()) {
    map.set(d, next);
    next += 1 + (d.throttleFilters?.length ?? 0);
  }
  return map;
}

function hasSource(d: DiskDef): boolean {
  const src = d.source;
  if (!src) return false;
  return src.path !== undefined || src.protocol !== undefined || src.pool !== undefined;
}

export function buildDisks(s: BuildState, bootIndex: (dev: object) => number | undefined): void {
  const idx = nodeIndexes(s);
  for (const d of s.def.devices.disks) {
    const b = bootIndex(d);
    if (d.target.bus === 'fdc' && b !== undefined) {
      const unit = d.info.address?.type === 'drive' ? d.info.address.unit : 0;
      const slot = unit === 0 ? 'A' : 'B';
      // q35 has no built-in floppy controller: libvirt adds one with the boot index.
      if (isQ35(s.def)) s.device(new Props().set('driver', 'isa-fdc').set(`bootindex${slot}`, b));
      else s.add('-global', `isa-fdc.bootindex${slot}=${b}`);
    }
  }
  for (const d of s.def.devices.disks) {
    if (d.target.bus === 'sd') {
      buildSdDrive(s, d);
      continue;
    }
    const n = idx.get(d)!;
    if (d.type === 'vhostuser') {
      buildDiskDevice(s, d, undefined, bootIndex(d), vhostUserChardev(s, d));
      continue;
    }
    let drive: string | undefined;
    if (hasSource(d)) drive = buildBlockdev(s, d, n);
    if (drive && d.driver?.copy_on_read === 'on') {
      // Reads populate the image: a copy-on-read filter node sits on top of the disk's nodes.
      const cor = `libvirt-CoR-${d.target.dev}`;
      s.add(
        '-blockdev',
        new Props()
          .set('driver', 'copy-on-read')
          .set('node-name', cor)
          .set('file', drive)
          .set('discard', 'unmap')
          .json(),
      );
      drive = cor;
    }
    if (drive) drive = buildThrottleFilters(s, d, drive, n);
    buildDiskDevice(s, d, drive, bootIndex(d));
  }
}

/** A vhost-user disk: the block device lives in an external daemon QEMU reaches over a socket. */
function vhostUserChardev(s: BuildState, d: DiskDef): string {
  const id = `chr-vu-${s.alias(d)}`;
  let arg = `socket,id=${id},path=${escapeComma(d.source?.attrs?.path ?? '')}`;
  const reconnect = d.source?.extra?.find((e) => e.name === 'reconnect');
  if (reconnect?.attrs.enabled === 'yes') arg += `,reconnect-ms=${Number(reconnect.attrs.timeout ?? 0) * 1000}`;
  s.add('-chardev', arg);
  return id;
}

/** An SD card: QEMU has no -device for it on these machines, so it stays a -drive with if=sd. */
function buildSdDrive(s: BuildState, d: DiskDef): void {
  const parts = [`file=${escapeComma(d.source?.path ?? '')}`, `format=${formatName(d)}`, 'if=sd'];
  parts.push(`index=${diskNameIndex(d.target.dev)}`);
  if (d.readonly) parts.push('readonly=on');
  s.add('-drive', parts.join(','));
}

/** 'sda' → 0, 'sdz' → 25, 'sdaa' → 26: the letters after the bus prefix in base 26. */
function diskNameIndex(dev: string): number {
  const letters = /[a-z]+$/.exec(dev.replace(/^(sd|hd|vd|xvd|ubd|fd)/, ''))?.[0] ?? 'a';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

function formatName(d: DiskDef): string {
  return d.driver?.type ?? 'raw';
}

function secretRefOf(el: XmlElement | undefined): SecretRef | undefined {
  const sec = el ? child(el, 'secret') : undefined;
  return sec ? { type: sec.attrs.type, uuid: sec.attrs.uuid, usage: sec.attrs.usage } : undefined;
}

/** The <auth> of a disk, at disk level or inside <source>. */
function authOf(d: DiskDef): XmlElement | undefined {
  return d.auth ?? d.source?.extra?.find((e) => e.name === 'auth');
}

function buildBlockdev(s: BuildState, d: DiskDef, n: number): string {
  const fmt = formatName(d);
  const enc = d.encryption;
  const luks = enc?.attrs.format === 'luks' && enc.attrs.engine !== 'librbd';
  const needsFormat = fmt !== 'raw' || luks;
  const storageName = `libvirt-${n}-storage`;
  const auth = authOf(d);
  const authRef = secretRefOf(auth);
  if (authRef) addSecret(s, `${storageName}-auth-secret0`, authRef);
  if (d.source?.cookies?.length) {
    const text = d.source.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    s.object(secretObject(s, `${storageName}-httpcookie-secret0`, new TextEncoder().encode(text)));
  }
  const encRef = luks ? secretRefOf(enc) : undefined;
  if (encRef) addSecret(s, `libvirt-${n}-format-encryption-secret0`, encRef);
  const readOnly = d.readonly === true || d.device === 'cdrom';
  const cache = d.driver?.cache ? CACHE[d.driver.cache] : undefined;
  const storage = storageProps(d, storageName, auth?.attrs.username);
  const prManager = prManagerFor(s, d, storageName);
  if (prManager) storage.set('pr-manager', prManager);
  const tlsCreds = nbdTlsCreds(s, d, storageName);
  if (tlsCreds) storage.set('tls-creds', tlsCreds).set('tls-hostname', d.source?.tlsHostname);
  storage.set('node-name', `libvirt-${n}-storage`);
  if (needsFormat) storage.set('auto-read-only', true).set('discard', 'unmap');
  else storage.set('read-only', readOnly);
  if (cache) storage.set('cache', { direct: cache.direct, 'no-flush': cache.noFlush });
  // Without a format node the storage node is the top one and carries the guest-facing options.
  if (!needsFormat) topNodeOptions(d, storage);
  s.add('-blockdev', storage.json());
  if (!needsFormat) return `libvirt-${n}-storage`;
  const format = new Props().set('node-name', `libvirt-${n}-format`).set('read-only', readOnly);
  if (cache) format.set('cache', { direct: cache.direct, 'no-flush': cache.noFlush });
  topNodeOptions(d, format);
  const encId = `libvirt-${n}-format-encryption-secret0`;
  if (luks && fmt === 'raw') format.set('driver', 'luks').set('key-secret', encId);
  else {
    // A FAT image of a folder is vvfat's job at the storage layer; the format layer reads it raw.
    format.set('driver', fmt === 'fat' ? 'raw' : fmt);
    if (luks) format.set('encrypt', { format: 'luks', 'key-secret': encId });
  }
  if (d.driver?.discard_no_unref === 'on') format.set('discard-no-unref', true);
  format.set('file', `libvirt-${n}-storage`);
  s.add('-blockdev', format.json());
  return `libvirt-${n}-format`;
}

/** The <reservations> of a disk's source, if any. */
function reservationsOf(d: DiskDef): XmlElement | undefined {
  return d.source?.extra?.find((e) => e.name === 'reservations' && e.attrs.enabled !== 'no');
}

/**
 * SCSI persistent reservations go through qemu-pr-helper: the one libvirt runs for the domain
 * (managed) or the user's at the socket the definition names, each a pr-manager-helper object.
 */
function prManagerFor(s: BuildState, d: DiskDef, storageName: string): string | undefined {
  const res = reservationsOf(d);
  if (!res) return undefined;
  if (res.attrs.managed === 'yes') return MANAGED_PR_HELPER;
  const id = `pr-helper-${storageName}`;
  const path = child(res, 'source')?.attrs.path ?? '';
  s.object(new Props().set('qom-type', 'pr-manager-helper').set('id', id).set('path', path));
  return id;
}

const MANAGED_PR_HELPER = 'pr-helper0';

/** Whether any disk asks for managed reservations, i.e. a qemu-pr-helper run for the domain. */
export function needsManagedPrHelper(def: DomainDef): boolean {
  return def.devices.disks.some((d) => reservationsOf(d)?.attrs.managed === 'yes');
}

/** The domain's own qemu-pr-helper, when any disk asks for managed reservations. */
export function buildManagedPrHelper(s: BuildState): void {
  if (!needsManagedPrHelper(s.def)) return;
  s.object(
    new Props()
      .set('qom-type', 'pr-manager-helper')
      .set('id', MANAGED_PR_HELPER)
      .set('path', `${s.ctx.libDir}/${MANAGED_PR_HELPER}.sock`),
  );
}

/**
 * An NBD source with TLS (its tls attribute, else qemu.conf's nbd_tls) gets client credentials
 * from nbd_tls_x509_cert_dir, with the key's password secret when one is configured.
 */
function nbdTlsCreds(s: BuildState, d: DiskDef, storageName: string): string | undefined {
  const conf = s.ctx.conf;
  if (d.type !== 'network' || (d.source?.protocol ?? 'nbd') !== 'nbd') return undefined;
  if (!(d.source?.tls ?? conf?.nbdTls)) return undefined;
  const id = `obj${storageName}_tls0`;
  const secretUuid = conf?.nbdTlsX509SecretUuid;
  const passwordId = secretUuid ? addSecret(s, `${id}-secret0`, { uuid: secretUuid }) : undefined;
  const creds = tlsCredsX509(id, conf?.nbdTlsX509CertDir ?? '/etc/pki/libvirt-nbd', 'client', true);
  s.object(creds.set('passwordid', passwordId));
  return id;
}

/** discard and detect-zeroes belong to the node the device uses; unmap needs discard=unmap. */
function topNodeOptions(d: DiskDef, p: Props): void {
  const discard = d.driver?.discard;
  if (discard === 'unmap' || discard === 'ignore') p.set('discard', discard);
  const dz = d.driver?.detect_zeroes;
  if (dz && dz !== 'off') p.set('detect-zeroes', dz === 'unmap' && discard !== 'unmap' ? 'on' : dz);
}

function buildDiskDevice(
  s: BuildState,
  d: DiskDef,
  drive: string | undefined,
  boot: number | undefined,
  chardev?: string,
): void {
  const p = new Props();
  const addr = d.info.address?.type === 'drive' ? d.info.address : undefined;
  const cdrom = d.device === 'cdrom';
  switch (d.target.bus) {
    case 'ide':
    case 'sata':
      p.set('driver', cdrom ? 'ide-cd' : 'ide-hd');
      if (d.target.bus === 'sata' || isQ35(s.def)) {
        const ctrl = addr?.controller ?? 0;
        p.set('bus', `${ctrl === 0 && isQ35(s.def) ? 'ide' : `sata${ctrl}`}.${addr?.unit ?? 0}`);
      } else {
        p.set('bus', `ide.${addr?.bus ?? 0}`).set('unit', addr?.unit ?? 0);
      }
      break;
    case 'virtio':
      p.set('driver', virtioVariant(chardev ? 'vhost-user-blk-pci' : 'virtio-blk-pci', d.model));
      virtioOptions(p, d.driver);
      virtioDiskProps(d, p);
      s.addressProps(p, d.info);
      break;
    case 'scsi': {
      p.set('driver', d.device === 'lun' ? 'scsi-block' : cdrom ? 'scsi-cd' : 'scsi-hd');
      const ctrl = s.def.devices.controllers.find((c) => c.type === 'scsi' && c.index === (addr?.controller ?? 0));
      const model = ctrl?.model ?? 'lsilogic';
      p.set('bus', `scsi${addr?.controller ?? 0}.0`);
      if (model === 'lsilogic') p.set('scsi-id', addr?.unit ?? 0);
      else
        p.set('channel', addr?.bus ?? 0)
          .set('scsi-id', addr?.target ?? 0)
          .set('lun', addr?.unit ?? 0);
      if (d.device !== 'lun') p.set('device_id', d.serial ?? `drive-${s.alias(d)}`);
      break;
    }
    case 'fdc':
      p.set('driver', 'floppy').set('unit', addr?.unit ?? 0);
      break;
    case 'usb':
      p.set('driver', 'usb-storage');
      s.usbAddressProps(p, d, d.info);
      break;
    default:
      p.set('driver', d.target.bus);
  }
  if (d.shareable) p.set('share-rw', true);
  p.set('drive', drive);
  p.set('chardev', chardev);
  p.set('id', s.alias(d));
  if (d.target.bus !== 'fdc') p.set('bootindex', boot);
  if (d.blockio?.logicalBlockSize !== undefined) p.set('logical_block_size', d.blockio.logicalBlockSize);
  if (d.blockio?.physicalBlockSize !== undefined) p.set('physical_block_size', d.blockio.physicalBlockSize);
  if (d.blockio?.discardGranularity !== undefined) p.set('discard_granularity', d.blockio.discardGranularity);
  if (d.geometry) {
    p.set('cyls', d.geometry.cyls).set('heads', d.geometry.heads).set('secs', d.geometry.secs);
    if (d.geometry.trans) p.set('bios-chs-trans', d.geometry.trans);
  }
  if (d.wwn !== undefined)
    p.set('wwn', new RawNumber(BigInt(d.wwn.startsWith('0x') ? d.wwn : `0x${d.wwn}`).toString()));
  if (d.target.rotationRate !== undefined) p.set('rotation_rate', d.target.rotationRate);
  if (d.vendor !== undefined) p.set('vendor', d.vendor);
  if (d.product !== undefined) p.set(d.target.bus === 'scsi' ? 'product' : 'model', d.product);
  if (d.target.bus === 'usb') p.set('removable', d.target.removable === true);
  const cache = d.driver?.cache ? CACHE[d.driver.cache] : undefined;
  if (cache) p.set('write-cache', cache.writeCache ? 'on' : 'off');
  // libvirt escapes blanks in the serial with a backslash.
  if (d.serial !== undefined) p.set('serial', d.serial.replace(/ /g, '\\ '));
  const ep = d.driver?.error_policy;
  if (ep && ep !== 'default') p.set('werror', ep === 'enospace' ? 'enospc' : ep);
  const rp = d.driver?.rerror_policy ?? (ep && ep !== 'enospace' ? ep : undefined);
  if (rp && rp !== 'default') p.set('rerror', rp);
  s.device(p);
}

function virtioDiskProps(d: DiskDef, p: Props): void {
  const drv = d.driver ?? {};
  if (drv.iothread !== undefined) p.set('iothread', `iothread${drv.iothread}`);
  if (drv.ioeventfd !== undefined) p.set('ioeventfd', drv.ioeventfd === 'on');
  if (drv.event_idx !== undefined) p.set('event_idx', drv.event_idx === 'on');
  if (drv.queues !== undefined) p.set('num-queues', Number(drv.queues));
  if (drv.queue_size !== undefined) p.set('queue-size', Number(drv.queue_size));
  iothreadVqMapping(p, d.iothreadMapping);
}
