/**
 * More of the qemu driver's parse-time refusals (qemu_validate.c), kept as a list of small
 * rules checked in order after validate.ts's per-topic checks; the first failure wins.
 */
import type { DomainDef, XmlElement } from '@tsvirt/core';
import { childOf } from './devices-util.js';
import { qemuConfigError, qemuXmlError } from './errors.js';

type Rule = (def: DomainDef) => void;

const SECRET_TYPE_FOR: Record<string, string> = { iscsi: 'iscsi', rbd: 'ceph' };

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

function diskAuthAndNames(def: DomainDef): void {
  for (const d of def.devices.disks) {
    const inSource = d.source?.extra?.find((e) => e.name === 'auth');
    if (d.auth && inSource) throw qemuConfigError('an <auth> definition already found for disk source');
    const auth = d.auth ?? inSource;
    const secret = auth ? childOf(auth, 'secret') : undefined;
    const want = d.source?.protocol ? SECRET_TYPE_FOR[d.source.protocol] : undefined;
    if (secret && want) {
      const type = secret.attrs.type;
      if (type === undefined) throw qemuConfigError("unknown secret type '<null>'");
      if (type !== want) throw qemuConfigError(`invalid secret type '${type}'`);
    }
    if (!d.info.address && d.target.bus !== 'virtio' && d.target.bus !== 'usb') {
      const letters = /^(?:hd|sd|vd|xvd|ubd|fd)([a-z]+)$/.exec(d.target.dev)?.[1];
      if (letters && letters.length > 6)
        throw qemuXmlError(`Unknown disk name '${d.target.dev}' and no address specified`);
    }
  }
}

/** A key naming the host resource a <hostdev> takes, to find the same device assigned twice. */
function hostdevKey(el: XmlElement): string | undefined {
  const src = childOf(el, 'source');
  if (!src) return undefined;
  const flat = (e: XmlElement): string =>
    `${e.name}${JSON.stringify(e.attrs)}[${e.nodes.map((n) => (typeof n === 'string' ? '' : flat(n))).join('')}]`;
  return `${el.attrs.type}|${flat(src)}`;
}

function hostdevs(def: DomainDef): void {
  const seen = new Set<string>();
  for (const el of def.devices.raw.hostdev ?? []) {
    const type = el.attrs.type;
    const src = childOf(el, 'source');
    if (type === 'scsi_host' || (type === 'scsi' && src?.attrs.protocol === 'vhost')) {
      if (el.attrs.rawio !== undefined) throw qemuXmlError('rawio is only supported for scsi host device');
      if (el.attrs.sgio !== undefined) throw qemuXmlError('sgio is only supported for scsi host device');
      if (childOf(el, 'boot'))
        throw qemuConfigError('booting from assigned devices is not supported by vhost SCSI devices');
    }
    if (type === 'mdev') {
      const a = src ? childOf(src, 'address') : undefined;
      if (!a?.attrs.uuid) throw qemuConfigError("Missing 'uuid' attribute for element <address>");
      const target = childOf(el, 'address')?.attrs.type;
      if (target && target !== 'pci' && target !== 'ccw')
        throw qemuXmlError(`Unsupported address type '${target}' with mediated device model '${el.attrs.model}'`);
    }
    const key = hostdevKey(el);
    if (key !== undefined) {
      if (seen.has(key)) throw qemuXmlError('Hostdev already exists in the domain configuration');
      seen.add(key);
    }
  }
}

function smmTseg(def: DomainDef): void {
  const tseg = def.features?.smm?.tseg;
  if (tseg !== undefined && tseg % (1024 * 1024) !== 0)
    throw qemuConfigError('SMM TSEG size must be divisible by 1 MiB');
}

function boot(def: DomainDef): void {
  const perDevice = [...def.devices.disks, ...def.devices.interfaces].some((d) => d.info.boot);
  if (perDevice && def.os.boot?.length)
    throw qemuConfigError('per-device boot elements cannot be used together with os/boot elements');
  const t = def.os.bootmenu?.timeout;
  if (t !== undefined && (t < 0 || t > 65535))
    throw qemuConfigError('invalid value for boot menu timeout, must be in range [0,65535]');
}

function devices(def: DomainDef): void {
  for (const c of def.devices.controllers)
    if (c.type === 'virtio-serial' && c.driver?.iothread !== undefined)
      throw qemuXmlError("'iothread' attribute only supported for virtio scsi controllers");
  const mdevs = (def.devices.raw.hostdev ?? []).filter((h) => h.attrs.type === 'mdev' && h.attrs.ramfb === 'on');
  if (mdevs.length > 1) throw qemuConfigError("Only one vgpu device can have 'ramfb' enabled");
  for (const input of def.devices.inputs) {
    const transitional = input.model === 'virtio-transitional' || input.model === 'virtio-non-transitional';
    if (transitional && input.type !== 'passthrough')
      throw qemuConfigError(`virtio (non-)transitional models are not supported for input type=${input.type}`);
  }
  for (const el of def.devices.raw.iommu ?? []) {
    const drv = el.attrs.model === 'virtio' ? childOf(el, 'driver') : undefined;
    if (drv && Object.keys(drv.attrs).length)
      throw qemuXmlError("iommu model 'virtio' doesn't support additional attributes");
  }
  for (const el of def.devices.raw.shmem ?? []) {
    const size = childOf(el, 'size');
    if (!size) continue;
    const scale = { M: 1024, MiB: 1024, G: 1024 ** 2, GiB: 1024 ** 2 }[size.attrs.unit ?? 'KiB'] ?? 1;
    const kib = Number(size.nodes.filter((n) => typeof n === 'string').join('')) * scale;
    if (kib < 1024 || !isPowerOfTwo(kib))
      throw qemuXmlError('shmem size must be a power of 2 and at least 1 MiB (1024 KiB)');
  }
}

const RULES: Rule[] = [diskAuthAndNames, hostdevs, smmTseg, boot, devices];

export function qemuValidateRules(def: DomainDef): void {
  for (const rule of RULES) rule(def);
}
