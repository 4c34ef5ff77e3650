/** <filesystem>: 9p shares (-fsdev + virtio-9p-pci), virtiofs (vhost-user-fs) and USB MTP. */
import type { FilesystemDef } from '@tsvirt/core';
import { escapeComma, Props } from './props.js';
import type { BuildState } from './state.js';
import { virtioOptions, virtioVariant } from './virtio.js';

/** virtiofs: QEMU talks to a virtiofsd over a vhost-user socket (the user's, or the one libvirt starts). */
function buildVirtiofs(s: BuildState, fs: FilesystemDef): void {
  const alias = s.alias(fs);
  const charId = `chr-vu-${alias}`;
  const sock = fs.source.socket ?? `${s.ctx.libDir}/${alias}-fs.sock`;
  s.add('-chardev', `socket,id=${charId},path=${escapeComma(sock)}`);
  const p = new Props().set('driver', virtioVariant('vhost-user-fs-pci', fs.model));
  virtioOptions(p, fs.driver);
  p.set('id', alias).set('chardev', charId);
  if (fs.driver?.queue !== undefined) p.set('queue-size', Number(fs.driver.queue));
  p.set('tag', fs.target);
  p.set('bootindex', fs.info.boot?.order);
  s.addressProps(p, fs.info);
  s.device(p);
}

export function buildFilesystems(s: BuildState): void {
  for (const fs of s.def.devices.filesystems) {
    if (fs.type !== 'mount') continue;
    if (fs.driver?.type === 'virtiofs') {
      buildVirtiofs(s, fs);
      continue;
    }
    if (fs.driver?.type === 'mtp') {
      // A USB Media Transfer Protocol device serving the folder.
      const p = new Props().set('driver', 'usb-mtp').set('id', s.alias(fs));
      p.set('rootdir', fs.source.path ?? '')
        .set('desc', fs.target)
        .set('readonly', fs.readonly === true);
      s.usbAddressProps(p, fs, fs.info);
      s.device(p);
      continue;
    }
    const alias = s.alias(fs);
    const fsdevId = `fsdev-${alias}`;
    const parts = [fs.driver?.type === 'handle' ? 'handle' : 'local'];
    parts.push(`security_model=${fs.accessmode ?? 'passthrough'}`);
    if (fs.driver?.wrpolicy) parts.push(`writeout=${fs.driver.wrpolicy}`);
    if (fs.multidevs) parts.push(`multidevs=${fs.multidevs}`);
    if (fs.fmode) parts.push(`fmode=${fs.fmode}`);
    if (fs.dmode) parts.push(`dmode=${fs.dmode}`);
    parts.push(`id=${fsdevId}`, `path=${escapeComma(fs.source.path ?? '')}`);
    if (fs.readonly) parts.push('readonly=on');
    s.add('-fsdev', parts.join(','));
    const p = new Props().set('driver', virtioVariant('virtio-9p-pci', fs.model));
    virtioOptions(p, fs.driver);
    p.set('id', alias).set('fsdev', fsdevId).set('mount_tag', fs.target);
    s.addressProps(p, fs.info);
    s.device(p);
  }
}
