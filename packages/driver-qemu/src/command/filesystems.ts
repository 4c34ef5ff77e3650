/** <filesystem>: 9p shares (-fsdev + virtio-9p-pci). virtiofs needs a virtiofsd and is not built yet. */
import { escapeComma, Props } from './props.js';
import type { BuildState } from './state.js';
import { virtioOptions, virtioVariant } from './virtio.js';

export function buildFilesystems(s: BuildState): void {
  for (const fs of s.def.devices.filesystems) {
    if (fs.type !== 'mount' || fs.driver?.type === 'virtiofs') continue;
    const alias = s.alias(fs);
    const fsdevId = `fsdev-${alias}`;
    const parts = [fs.driver?.type === 'handle' ? 'handle' : 'local'];
    parts.push(`security_model=${fs.accessmode ?? 'passthrough'}`);
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
