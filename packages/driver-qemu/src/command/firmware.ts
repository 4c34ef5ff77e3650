/** Firmware: pflash loader and NVRAM as -blockdev nodes the machine refers to, or -bios for a ROM. */
import type { DiskDef, DomainDef } from '@tsvirt/core';
import { storageProps } from './disk-source.js';
import { Props } from './props.js';
import type { BuildState } from './state.js';

/** Node names of the pflash units, for -machine pflash0=/pflash1=. */
export function pflashNodes(s: BuildState): { pflash0?: string; pflash1?: string } {
  const os = s.def.os;
  if (os.loader?.type !== 'pflash' || !os.loader.path) return {};
  const out: { pflash0?: string; pflash1?: string } = { pflash0: 'libvirt-pflash0-format' };
  if ((os.nvram?.path || os.nvram?.source) && !os.loader.stateless) {
    out.pflash1 = (os.nvram.format ?? 'raw') === 'raw' ? 'libvirt-pflash1-storage' : 'libvirt-pflash1-format';
  }
  return out;
}

function fileNode(name: string, path: string, withFormat: boolean, readOnly: boolean): Props {
  const p = new Props().set('driver', 'file').set('filename', path).set('node-name', `libvirt-${name}-storage`);
  if (withFormat) p.set('auto-read-only', true).set('discard', 'unmap');
  else p.set('read-only', readOnly);
  return p;
}

function formatNode(name: string, format: string, readOnly: boolean): Props {
  const p = new Props()
    .set('node-name', `libvirt-${name}-format`)
    .set('read-only', readOnly)
    .set('driver', format)
    .set('file', `libvirt-${name}-storage`);
  if (format === 'qcow2') p.set('backing', null);
  return p;
}

export function buildPflashBlockdevs(s: BuildState): void {
  const os = s.def.os;
  const nodes = pflashNodes(s);
  if (!nodes.pflash0 || !os.loader?.path) return;
  const loaderRo = os.loader.readonly !== false;
  const loaderFmt = os.loader.format ?? 'raw';
  s.add('-blockdev', fileNode('pflash0', os.loader.path, true, loaderRo).json());
  s.add('-blockdev', formatNode('pflash0', loaderFmt, loaderRo).json());
  const nvram = os.nvram;
  if (!nodes.pflash1 || !nvram) return;
  const fmt = nvram.format ?? 'raw';
  if (nvram.type === 'network' && nvram.source) {
    const p = storageProps(nvramAsDisk(nvram.source), 'libvirt-pflash1-storage');
    p.set('node-name', 'libvirt-pflash1-storage');
    if (fmt !== 'raw') p.set('auto-read-only', true).set('discard', 'unmap');
    else p.set('read-only', false);
    s.add('-blockdev', p.json());
  } else if (nvram.path) s.add('-blockdev', fileNode('pflash1', nvram.path, fmt !== 'raw', false).json());
  else return;
  if (fmt !== 'raw') s.add('-blockdev', formatNode('pflash1', fmt, false).json());
}

/** A remote NVRAM store is a storage source like a network disk's, so it takes the same props. */
function nvramAsDisk(source: NonNullable<NonNullable<DomainDef['os']['nvram']>['source']>): DiskDef {
  return { type: 'network', device: 'disk', source, target: { dev: 'pflash1', bus: 'virtio' }, info: {} };
}

/** After -cpu: the ROM loader, or the secure-flash switch for a secure pflash loader. */
export function buildLoaderOptions(s: BuildState): void {
  const loader = s.def.os.loader;
  if (!loader?.path) return;
  if (loader.type === 'pflash') {
    if (loader.secure) s.add('-global', 'driver=cfi.pflash01,property=secure,value=on');
  } else s.add('-bios', loader.path);
}
