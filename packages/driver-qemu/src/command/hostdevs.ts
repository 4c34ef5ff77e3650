/** Host devices: PCI (VFIO), mediated devices and USB pass-through. */

import type { DiskDef } from '@tsvirt/core';
import { storageProps } from './disk-source.js';
import { romProps } from './net.js';
import { Props } from './props.js';
import { child, childrenNamed, rawInfo } from './raw.js';
import { addSecret } from './secrets.js';
import type { BuildState } from './state.js';
import { virtioVariant } from './virtio.js';

const pad3 = (v: string | undefined) => String(Number(v ?? 0)).padStart(3, '0');
const hex = (v: string | undefined, width: number) =>
  Number(v ?? 0)
    .toString(16)
    .padStart(width, '0');

export function buildHostdevs(s: BuildState, bootIndex: (dev: object) => number | undefined): void {
  // <interface type='hostdev'> is a PCI host device with a MAC; libvirt lists those first.
  for (const net of s.def.devices.interfaces) {
    if (net.type !== 'hostdev') continue;
    const a = net.sourceChildren?.find((c) => c.name === 'address')?.attrs ?? {};
    if (a.type !== undefined && a.type !== 'pci') continue;
    const p = new Props().set('driver', 'vfio-pci');
    p.set('host', `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${Number(a.function ?? 0)}`);
    p.set('id', s.alias(net));
    if (net.teaming?.type === 'transient' && net.teaming.persistent) p.set('failover_pair_id', net.teaming.persistent);
    p.set('bootindex', bootIndex(net));
    s.addressProps(p, net.info);
    s.device(p);
  }
  // SCSI host devices get -blockdev node numbers after every disk's.
  let nextBackend = s.def.devices.disks.length + 1;
  for (const el of s.def.devices.raw.hostdev ?? []) {
    if (el.attrs.mode !== 'subsystem') continue;
    const info = rawInfo(el);
    // A device the guest must not see is kept on the host side only.
    if (child(el, 'address')?.attrs.type === 'unassigned') continue;
    const id = s.alias(el);
    const src = child(el, 'source');
    const addr = src ? child(src, 'address') : undefined;
    const p = new Props();
    switch (el.attrs.type) {
      case 'pci': {
        const a = addr?.attrs ?? {};
        p.set('driver', el.attrs.ramfb === 'on' ? 'vfio-pci-nohotplug' : 'vfio-pci');
        p.set('host', `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${Number(a.function ?? 0)}`);
        p.set('id', id);
        const teaming = child(el, 'teaming');
        if (teaming?.attrs.type === 'transient' && teaming.attrs.persistent)
          p.set('failover_pair_id', teaming.attrs.persistent);
        if (el.attrs.display) p.set('display', el.attrs.display);
        if (el.attrs.ramfb === 'on') p.set('ramfb', true);
        p.set('bootindex', bootIndex(el));
        s.addressProps(p, info);
        break;
      }
      case 'mdev': {
        p.set('driver', el.attrs.model ?? 'vfio-pci').set('id', id);
        p.set('sysfsdev', `/sys/bus/mdev/devices/${addr?.attrs.uuid ?? ''}`);
        p.set('display', el.attrs.display ?? 'off');
        if (el.attrs.ramfb) p.set('ramfb', el.attrs.ramfb === 'on');
        p.set('bootindex', bootIndex(el));
        s.addressProps(p, info);
        break;
      }
      case 'usb': {
        const a = addr?.attrs ?? {};
        p.set('driver', 'usb-host');
        p.set('hostdevice', `/dev/bus/usb/${pad3(a.bus)}/${pad3(a.device)}`);
        p.set('id', id);
        const reset = src?.attrs.guestReset;
        if (reset === 'off') p.set('guest-reset', false);
        else if (reset === 'uninitialized') p.set('guest-reset', true).set('guest-resets-all', false);
        else if (reset === 'on') p.set('guest-reset', true).set('guest-resets-all', true);
        p.set('bootindex', bootIndex(el));
        s.usbAddressProps(p, el, info);
        break;
      }
      case 'scsi_host': {
        if (src?.attrs.protocol !== 'vhost') continue;
        p.set('driver', virtioVariant('vhost-scsi-pci', el.attrs.model));
        p.set('wwpn', src.attrs.wwpn ?? '').set('vhostfd', String(s.fd('vhost-scsi', id)));
        p.set('id', id);
        s.addressProps(p, info);
        break;
      }
      case 'scsi': {
        if (!src) continue;
        const n = nextBackend++;
        const node = `libvirt-${n}-backend`;
        const readOnly = child(el, 'readonly') !== undefined;
        let backend: Props;
        if (src.attrs.protocol === 'iscsi') {
          const hosts = childrenNamed(src, 'host').map((h) => ({
            name: h.attrs.name,
            port: h.attrs.port === undefined ? undefined : Number(h.attrs.port),
          }));
          const auth = child(src, 'auth');
          const secret = auth ? child(auth, 'secret') : undefined;
          if (secret)
            addSecret(s, `${node}-secret0`, {
              type: secret.attrs.type,
              uuid: secret.attrs.uuid,
              usage: secret.attrs.usage,
            });
          const disk = {
            type: 'network',
            device: 'lun',
            source: {
              protocol: 'iscsi',
              name: src.attrs.name,
              hosts,
              extra: src.nodes.filter((x) => typeof x !== 'string'),
            },
            target: { dev: '', bus: 'scsi' },
            info: {},
          } as unknown as DiskDef;
          backend = storageProps(disk, node, auth?.attrs.username, `${node}-secret0`);
        } else {
          const a = child(src, 'address')?.attrs ?? {};
          const path = s.ctx.scsiHostdevPath?.(
            child(src, 'adapter')?.attrs.name ?? '',
            Number(a.bus ?? 0),
            Number(a.target ?? 0),
            Number(a.unit ?? 0),
          );
          backend = new Props().set('driver', 'host_device').set('filename', path ?? '');
        }
        backend.set('node-name', node).set('read-only', readOnly);
        s.add('-blockdev', backend.json());
        p.set('driver', 'scsi-generic').set('drive', node).set('id', id);
        const addr = info.address?.type === 'drive' ? info.address : undefined;
        const ctrl = s.def.devices.controllers.find((c) => c.type === 'scsi' && c.index === (addr?.controller ?? 0));
        p.set('bus', `scsi${addr?.controller ?? 0}.0`);
        if ((ctrl?.model ?? 'lsilogic') === 'lsilogic') p.set('scsi-id', addr?.unit ?? 0);
        else
          p.set('channel', addr?.bus ?? 0)
            .set('scsi-id', addr?.target ?? 0)
            .set('lun', addr?.unit ?? 0);
        p.set('bootindex', bootIndex(el));
        break;
      }
      default:
        continue;
    }
    romProps(p, info.rom);
    s.device(p);
  }
}
