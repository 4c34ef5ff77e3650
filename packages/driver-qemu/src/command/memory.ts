/** -m, the RAM backend objects, -overcommit and guest NUMA nodes. */
import type { DomainDef } from '@tsvirt/core';
import { defaultRamId } from './machine.js';
import { Props } from './props.js';
import type { BuildState } from './state.js';

export function hasNuma(def: DomainDef): boolean {
  return (def.cpu?.numa?.length ?? 0) > 0;
}

/** Memory hot-plugged as devices does not count in the initial size. */
/** QEMU wants RAM sizes in whole MiB on x86; libvirt rounds up. */
export function alignMiB(kib: number): number {
  return Math.ceil(kib / 1024) * 1024;
}

export function initialMemoryKiB(def: DomainDef): number {
  const cells = def.cpu?.numa ?? [];
  if (cells.length) return cells.reduce((sum, c) => sum + alignMiB(c.memory), 0);
  let mem = def.memory;
  for (const m of def.devices.raw.memory ?? []) {
    const size = m.nodes.find((n) => typeof n !== 'string' && n.name === 'target');
    const sizeEl =
      size && typeof size !== 'string' ? size.nodes.find((n) => typeof n !== 'string' && n.name === 'size') : undefined;
    if (sizeEl && typeof sizeEl !== 'string') mem -= Number(textOf(sizeEl)) * unitScale(sizeEl.attrs.unit);
  }
  return alignMiB(mem);
}

function textOf(el: { nodes: Array<string | object> }): string {
  return el.nodes.filter((n): n is string => typeof n === 'string').join('');
}

function unitScale(unit: string | undefined): number {
  switch (unit) {
    case 'MiB':
    case 'M':
      return 1024;
    case 'GiB':
    case 'G':
      return 1024 * 1024;
    default:
      return 1;
  }
}

export function needsDefaultRamBackend(s: BuildState): boolean {
  return !hasNuma(s.def) && s.def.os.type === 'hvm';
}

export function buildMemory(s: BuildState): void {
  const { def } = s;
  const initial = initialMemoryKiB(def);
  let m = `size=${initial}k`;
  if (def.maxMemory) {
    if (def.maxMemory.slots !== undefined) m += `,slots=${def.maxMemory.slots}`;
    m += `,maxmem=${def.maxMemory.size}k`;
  }
  s.add('-m', m);
  if (needsDefaultRamBackend(s)) s.object(ramBackend(s, defaultRamId(s), initial * 1024));
  s.add('-overcommit', `mem-lock=${def.memoryBacking?.locked ? 'on' : 'off'}`);
}

function ramBackend(s: BuildState, id: string, bytes: number): Props {
  const mb = s.def.memoryBacking;
  if (mb?.hugepages?.length) {
    const p = new Props().set('qom-type', 'memory-backend-file').set('id', id);
    p.set('mem-path', `/dev/hugepages2M/libvirt/qemu/${s.ctx.domainId}-${s.def.name}`);
    p.set('prealloc', true);
    return p.set('size', bytes);
  }
  const p = new Props().set('qom-type', 'memory-backend-ram').set('id', id);
  return p.set('size', bytes);
}

export function buildNuma(s: BuildState): void {
  for (const cell of s.def.cpu?.numa ?? []) {
    const id = `ram-node${cell.id}`;
    s.object(ramBackend(s, id, alignMiB(cell.memory) * 1024));
    const parts = [`node`, `nodeid=${cell.id}`];
    if (cell.cpus) for (const r of cell.cpus.split(',')) parts.push(`cpus=${r}`);
    parts.push(`memdev=${id}`);
    s.add('-numa', parts.join(','));
  }
}
