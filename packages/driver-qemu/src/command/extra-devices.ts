/** Device families core keeps raw: IOMMU, USB hubs, TPM, panic, vsock and memory devices. */
import type { XmlElement } from '@tsvirt/core';
import { Props } from './props.js';
import { child, rawInfo } from './raw.js';
import type { BuildState } from './state.js';
import { virtioOptions, virtioVariant } from './virtio.js';

const onOffBool = (v: string | undefined) => (v === undefined ? undefined : v === 'on');

export function buildIommu(s: BuildState): void {
  for (const el of s.def.devices.raw.iommu ?? []) {
    const drv = child(el, 'driver')?.attrs ?? {};
    const model = el.attrs.model;
    const p = new Props();
    if (model === 'intel') {
      p.set('driver', 'intel-iommu').set('id', 'iommu0');
      p.set('intremap', drv.intremap);
      p.set('caching-mode', onOffBool(drv.caching_mode));
      p.set('eim', drv.eim);
      p.set('device-iotlb', onOffBool(drv.iotlb));
      p.set('aw-bits', drv.aw_bits === undefined ? undefined : Number(drv.aw_bits));
      p.set('dma-translation', onOffBool(drv.dma_translation));
    } else if (model === 'virtio') {
      p.set('driver', 'virtio-iommu').set('id', 'iommu0');
      s.addressProps(p, rawInfo(el));
    } else continue;
    s.device(p);
  }
}

export function buildHubs(s: BuildState): void {
  (s.def.devices.raw.hub ?? []).forEach((el, i) => {
    if (el.attrs.type !== 'usb') return;
    const info = rawInfo(el);
    const p = new Props().set('driver', 'usb-hub').set('id', info.alias ?? `hub${i}`);
    s.usbAddressProps(p, el, info);
    s.device(p);
  });
  const defined = s.def.devices.raw.hub?.length ?? 0;
  s.addedUsbHubs.forEach((hub, i) => {
    const p = new Props().set('driver', 'usb-hub').set('id', `hub${defined + i}`);
    s.usbAddressProps(p, hub, undefined);
    s.device(p);
  });
}

export function buildTpms(s: BuildState): void {
  (s.def.devices.raw.tpm ?? []).forEach((el, i) => {
    const backend = child(el, 'backend');
    const alias = rawInfo(el).alias ?? `tpm${i}`;
    const type = backend?.attrs.type;
    if (type === 'passthrough') {
      buildPassthroughTpm(s, el, alias);
      return;
    }
    if (type !== 'emulator' && type !== 'external') return;
    const path =
      type === 'external'
        ? (child(backend!, 'source')?.attrs.path ?? '')
        : (s.ctx.tpmEmulatorSocket?.(alias) ?? `${s.ctx.runDir ?? ''}/swtpm/${alias}.sock`);
    s.add('-chardev', `socket,id=chrtpm,path=${path}`);
    s.add('-tpmdev', `emulator,id=tpm-${alias},chardev=chrtpm`);
    const model = el.attrs.model ?? 'tpm-tis';
    s.device(new Props().set('driver', model).set('tpmdev', `tpm-${alias}`).set('id', alias));
  });
}

/**
 * A host TPM handed through: libvirt opens the device and its sysfs cancel file itself and
 * passes both in fd sets, so QEMU needs no access to the host paths.
 */
function buildPassthroughTpm(s: BuildState, el: XmlElement, alias: string): void {
  const passed = (what: string) => {
    const set = s.nextFdSet++;
    const opaque = `${alias}-${what}`;
    s.add('-add-fd', `set=${set},fd=${s.fd('tpm-passthrough', opaque)},opaque=${opaque}`);
    return `/dev/fdset/${set}`;
  };
  const tpm = passed('tpm');
  const cancel = passed('cancel');
  s.add('-tpmdev', `passthrough,id=tpm-${alias},path=${tpm},cancel-path=${cancel}`);
  const model = el.attrs.model ?? 'tpm-tis';
  s.device(new Props().set('driver', model).set('tpmdev', `tpm-${alias}`).set('id', alias));
}

/** pvpanic and friends; Hyper-V's panic is a CPU flag instead. */
export function buildPanics(s: BuildState): void {
  for (const el of s.def.devices.raw.panic ?? []) {
    const model = el.attrs.model ?? 'isa';
    const info = rawInfo(el);
    if (model === 'isa') {
      const p = new Props().set('driver', 'pvpanic');
      const a = info.address;
      if (a?.type === 'isa' && a.iobase !== undefined) p.set('ioport', a.iobase);
      s.device(p);
    } else if (model === 'pvpanic') {
      const p = new Props().set('driver', 'pvpanic-pci').set('id', info.alias ?? 'panic0');
      s.addressProps(p, info);
      s.device(p);
    }
  }
}

function sizeBytes(el: import('@tsvirt/core').XmlElement | undefined): number {
  if (!el) return 0;
  const n = Number(el.nodes.filter((x): x is string => typeof x === 'string').join(''));
  const unit = el.attrs.unit ?? 'KiB';
  const scale: Record<string, number> = {
    b: 1,
    bytes: 1,
    K: 1024,
    KiB: 1024,
    M: 1024 ** 2,
    MiB: 1024 ** 2,
    G: 1024 ** 3,
    GiB: 1024 ** 3,
    KB: 1000,
    MB: 1000 ** 2,
    GB: 1000 ** 3,
  };
  return n * (scale[unit] ?? 1024);
}

export function buildShmems(s: BuildState): void {
  (s.def.devices.raw.shmem ?? []).forEach((el, i) => {
    const name = el.attrs.name ?? '';
    const model = child(el, 'model')?.attrs.type ?? 'ivshmem-plain';
    const info = rawInfo(el);
    const alias = info.alias ?? `shmem${i}`;
    const p = new Props().set('driver', model).set('id', alias);
    let chardev: string | undefined;
    if (model === 'ivshmem-plain') {
      const memId = `shmmem-${alias}`;
      s.object(
        new Props()
          .set('qom-type', 'memory-backend-file')
          .set('id', memId)
          .set('mem-path', `/dev/shm/${name}`)
          .set('size', sizeBytes(child(el, 'size')) || 4 * 1024 * 1024)
          .set('share', true),
      );
      p.set('memdev', memId);
      const role = el.attrs.role;
      if (role) p.set('master', role === 'master' ? 'on' : 'off');
    } else {
      const server = child(el, 'server');
      const charId = `char${alias}`;
      chardev = `socket,id=${charId},path=${server?.attrs.path ?? `/var/lib/libvirt/shmem-${name}-sock`}`;
      p.set('chardev', charId);
      const msi = child(el, 'msi');
      if (msi?.attrs.vectors) p.set('vectors', Number(msi.attrs.vectors));
      if (msi?.attrs.ioeventfd) p.set('ioeventfd', msi.attrs.ioeventfd === 'on');
    }
    s.addressProps(p, info);
    s.device(p);
    // libvirt writes the doorbell's server socket after the device that uses it.
    if (chardev) s.add('-chardev', chardev);
  });
}

export function buildPstores(s: BuildState): void {
  (s.def.devices.raw.pstore ?? []).forEach((el, i) => {
    const info = rawInfo(el);
    const alias = info.alias ?? `pstore${i}`;
    const memId = `mem${alias}`;
    const path = child(el, 'path');
    s.object(
      new Props()
        .set('qom-type', 'memory-backend-file')
        .set('id', memId)
        .set('mem-path', path ? path.nodes.filter((x): x is string => typeof x === 'string').join('') : '')
        .set('size', sizeBytes(child(el, 'size')))
        .set('share', true),
    );
    const p = new Props().set('driver', 'acpi-erst').set('id', alias).set('memdev', memId);
    s.addressProps(p, info);
    s.device(p);
  });
}

export function buildCryptos(s: BuildState): void {
  (s.def.devices.raw.crypto ?? []).forEach((el, i) => {
    const info = rawInfo(el);
    const alias = info.alias ?? `crypto${i}`;
    const backend = child(el, 'backend');
    const objId = `obj${alias}`;
    const obj = new Props().set('qom-type', `cryptodev-backend-${backend?.attrs.model ?? 'builtin'}`).set('id', objId);
    if (backend?.attrs.queues) obj.set('queues', Number(backend.attrs.queues));
    s.object(obj);
    const p = new Props().set('driver', virtioVariant('virtio-crypto-pci', el.attrs.model));
    virtioOptions(p, child(el, 'driver'));
    p.set('cryptodev', objId).set('id', alias);
    s.addressProps(p, info);
    s.device(p);
  });
}

export function buildVsocks(s: BuildState): void {
  for (const el of s.def.devices.raw.vsock ?? []) {
    const info = rawInfo(el);
    const cidEl = child(el, 'cid');
    // With auto='yes' the caller picked a free context id when it opened the vhost-vsock device.
    const cid = cidEl?.attrs.address ?? (cidEl?.attrs.auto === 'yes' ? s.ctx.vsockAutoCid?.() : undefined);
    const p = new Props().set('driver', virtioVariant('vhost-vsock-pci', el.attrs.model));
    virtioOptions(p, child(el, 'driver'));
    p.set('id', info.alias ?? 'vsock0');
    if (cid !== undefined) p.set('guest-cid', Number(cid));
    p.set('vhostfd', String(s.fd('vhost-vsock', 'vsock0')));
    s.addressProps(p, info);
    s.device(p);
  }
}
