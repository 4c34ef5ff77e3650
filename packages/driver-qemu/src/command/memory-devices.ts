/** <memory> devices: DIMMs, NVDIMMs, virtio-mem and virtio-pmem, each with its backend object. */
import type { XmlElement } from '@tsvirt/core';
import { hugepageDir, hugepageFor, parseSet, ramBackend } from './memory.js';
import { Props } from './props.js';
import { child, rawInfo, text } from './raw.js';
import type { BuildState } from './state.js';
import { addThreadContext } from './thread-context.js';

const SCALE: Record<string, number> = {
  b: 1 / 1024,
  bytes: 1 / 1024,
  KiB: 1,
  K: 1,
  k: 1,
  MiB: 1024,
  M: 1024,
  GiB: 1024 ** 2,
  G: 1024 ** 2,
};

/** A size element in KiB. */
export function sizeKiB(el: XmlElement | undefined): number | undefined {
  if (!el) return undefined;
  return Number(text(el)) * (SCALE[el.attrs.unit ?? 'KiB'] ?? 1);
}

/** Memory devices are sized in whole 2 MiB blocks on x86; libvirt rounds up. */
export function memoryDeviceKiB(el: XmlElement): number {
  const size = sizeKiB(child(child(el, 'target') ?? el, 'size')) ?? 0;
  return Math.ceil(size / 2048) * 2048;
}

function deviceAlias(el: XmlElement, model: string, counters: Map<string, number>): string {
  const info = rawInfo(el);
  if (info.alias) return info.alias;
  const prefix =
    { dimm: 'dimm', nvdimm: 'nvdimm', 'virtio-mem': 'virtiomem', 'virtio-pmem': 'virtiopmem', 'sgx-epc': 'epc' }[
      model
    ] ?? model;
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  const a = child(el, 'address');
  if ((model === 'dimm' || model === 'nvdimm') && a?.attrs.type === 'dimm' && a.attrs.slot !== undefined)
    return `${prefix}${Number(a.attrs.slot)}`;
  return `${prefix}${n}`;
}

export function buildMemoryDevices(s: BuildState): void {
  const counters = new Map<string, number>();
  for (const el of s.def.devices.raw.memory ?? []) {
    const model = el.attrs.model ?? 'dimm';
    const alias = deviceAlias(el, model, counters);
    const memId = `mem${alias}`;
    const source = child(el, 'source');
    const target = child(el, 'target');
    const node = text(child(target ?? el, 'node'));
    const bytes = memoryDeviceKiB(el) * 1024;
    let backend = new Props();
    const path = text(child(source ?? el, 'path'));
    const pagesize = sizeKiB(child(source ?? el, 'pagesize'));
    const nodemask = text(child(source ?? el, 'nodemask'));
    const access = el.attrs.access ?? s.def.memoryBacking?.access;
    const isPmem = source !== undefined && child(source, 'pmem') !== undefined;
    if (path !== undefined) {
      backend.set('qom-type', 'memory-backend-file').set('id', memId).set('mem-path', path);
      if (access !== undefined) backend.set('share', access === 'shared');
      if (model === 'nvdimm' && !isPmem) backend.set('prealloc', true);
    } else if (pagesize !== undefined && pagesize > 4) {
      backend.set('qom-type', 'memory-backend-file').set('id', memId).set('mem-path', hugepageDir(s, pagesize));
      if (access !== undefined) backend.set('share', access === 'shared');
      if (model === 'virtio-mem') backend.set('reserve', false);
      else backend.set('prealloc', true);
    } else if (model === 'dimm' && node !== undefined && nodemask === undefined && inheritsHugepages(s, node)) {
      // A plain DIMM on a guest node backed by hugepages takes that node's backing, like its RAM.
      backend = ramBackend(s, memId, bytes, Number(node));
    } else {
      backend.set('qom-type', 'memory-backend-ram').set('id', memId);
      if (model === 'virtio-mem') backend.set('reserve', false);
    }
    if (backend.bag.size === undefined) backend.set('size', bytes);
    const align = sizeKiB(child(source ?? el, 'alignsize'));
    if (align !== undefined) backend.set('align', align * 1024);
    if (isPmem) backend.set('pmem', true);
    if (nodemask !== undefined) backend.set('host-nodes', parseSet(nodemask)).set('policy', 'bind');
    addThreadContext(s, backend);
    s.object(backend);

    const info = rawInfo(el);
    const slot = child(el, 'address')?.attrs;
    const base = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    const p = new Props();
    switch (model) {
      case 'dimm':
      case 'nvdimm': {
        p.set('driver', model === 'dimm' ? 'pc-dimm' : 'nvdimm');
        if (node !== undefined) p.set('node', Number(node));
        const label = sizeKiB(child(child(target ?? el, 'label') ?? el, 'size'));
        if (label !== undefined) p.set('label-size', label * 1024);
        if (child(target ?? el, 'readonly')) p.set('unarmed', true);
        p.set('memdev', memId).set('id', alias);
        if (slot?.slot !== undefined) p.set('slot', Number(slot.slot));
        p.set('addr', base(slot?.base));
        break;
      }
      case 'virtio-mem': {
        p.set('driver', 'virtio-mem-pci');
        if (node !== undefined) p.set('node', Number(node));
        const block = sizeKiB(child(target ?? el, 'block'));
        if (block !== undefined) p.set('block-size', block * 1024);
        const requested = sizeKiB(child(target ?? el, 'requested'));
        if (requested !== undefined) p.set('requested-size', requested * 1024);
        p.set('memdev', memId);
        if (pagesize !== undefined && pagesize > 4) p.set('prealloc', true);
        p.set('memaddr', base(child(target ?? el, 'address')?.attrs.base));
        if (target?.attrs.dynamicMemslots === 'yes') p.set('dynamic-memslots', true);
        p.set('id', alias);
        s.addressProps(p, info);
        break;
      }
      case 'virtio-pmem':
        p.set('driver', 'virtio-pmem-pci').set('memdev', memId);
        p.set('memaddr', base(child(target ?? el, 'address')?.attrs.base));
        p.set('id', alias);
        s.addressProps(p, info);
        break;
      default:
        continue;
    }
    s.device(p);
  }
}

/** Whether the domain's <hugepages> give guest node `node` pages bigger than the base page. */
function inheritsHugepages(s: BuildState, node: string): boolean {
  const page = hugepageFor(s, Number(node));
  return page !== undefined && page > 4;
}
