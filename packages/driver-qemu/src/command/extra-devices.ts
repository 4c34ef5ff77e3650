/** Device families core keeps raw: IOMMU, USB hubs, TPM, panic, vsock and memory devices. */
import { Props } from './props.js';
import { child, rawInfo } from './raw.js';
import type { BuildState } from './state.js';

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
}

export function buildTpms(s: BuildState): void {
  (s.def.devices.raw.tpm ?? []).forEach((el, i) => {
    const backend = child(el, 'backend');
    const alias = rawInfo(el).alias ?? `tpm${i}`;
    const type = backend?.attrs.type;
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
