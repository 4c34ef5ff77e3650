/** -m, the RAM backend objects, -overcommit and guest NUMA nodes. */
import type { DomainDef, NumaCell, NumaInterconnect } from '@tsvirt/core';
import { ErrorCode, ErrorDomain, numaCellInitiator, numaHasHmat, VirError } from '@tsvirt/core';
import { findMachine } from '../capabilities/qemu-caps.js';
import { defaultRamId } from './machine.js';
import { memoryDeviceKiB } from './memory-devices.js';
import { Props } from './props.js';
import type { BuildState } from './state.js';
import { addThreadContext } from './thread-context.js';

/** The host's base page size: hugepages of this size are ordinary memory. */
const SYSTEM_PAGE_KIB = 4;

export function hasNuma(def: DomainDef): boolean {
  return (def.cpu?.numa?.length ?? 0) > 0;
}

/** QEMU wants RAM sizes in whole MiB on x86; libvirt rounds up. */
export function alignMiB(kib: number): number {
  return Math.ceil(kib / 1024) * 1024;
}

/** libvirt's short domain name for paths: at most 20 characters. */
export function shortName(def: DomainDef): string {
  return [...def.name].slice(0, 20).join('');
}

/** Memory hot-plugged as devices does not count in the initial size. */
export function initialMemoryKiB(def: DomainDef, incoming = false): number {
  const cells = def.cpu?.numa ?? [];
  let mem = def.memory;
  for (const m of def.devices.raw.memory ?? []) mem -= memoryDeviceKiB(m);
  // An incoming migration keeps the sizes the source used: no rounding up, -m in whole MiB.
  if (incoming) return Math.floor(mem / 1024) * 1024;
  if (cells.length) return cells.reduce((sum, c) => sum + alignMiB(c.memory), 0);
  return alignMiB(mem);
}

/** A NUMA cell's RAM in KiB: rounded up to whole MiB unless the guest arrives by migration. */
function cellKiB(s: BuildState, cell: NumaCell): number {
  return s.ctx.incoming !== undefined ? cell.memory : alignMiB(cell.memory);
}

export function needsDefaultRamBackend(s: BuildState): boolean {
  return !hasNuma(s.def) && s.def.os.type === 'hvm';
}

/** Static numatune node sets must name NUMA nodes the host has (when the caller knows them). */
function checkHostNodes(s: BuildState): void {
  const host = s.ctx.hostNumaNodes;
  const tune = s.def.numatune;
  if (!host || !tune) return;
  const sets = tune.memnodes.map((m) => m.nodeset);
  if (tune.memory?.nodeset !== undefined && tune.memory.placement !== 'auto') sets.push(tune.memory.nodeset);
  for (const set of sets) {
    const missing = parseSet(set).find((n) => !host.some((h) => h.id === n));
    if (missing !== undefined)
      throw new VirError({
        code: ErrorCode.CONFIG_UNSUPPORTED,
        domain: ErrorDomain.QEMU,
        detail: `NUMA node ${missing} is unavailable`,
      });
  }
}

export function buildMemory(s: BuildState): void {
  checkHostNodes(s);
  const { def } = s;
  const initial = initialMemoryKiB(def, s.ctx.incoming !== undefined);
  let m = `size=${initial}k`;
  if (def.maxMemory) {
    if (def.maxMemory.slots !== undefined) m += `,slots=${def.maxMemory.slots}`;
    m += `,maxmem=${def.maxMemory.size}k`;
  }
  s.add('-m', m);
  if (needsDefaultRamBackend(s)) s.object(ramBackend(s, defaultRamId(s), initial * 1024, undefined));
  s.add('-overcommit', `mem-lock=${def.memoryBacking?.locked ? 'on' : 'off'}`);
}

/** The hugepage size (KiB) backing a NUMA cell (or all RAM when cell is undefined), if any. */
export function hugepageFor(s: BuildState, cell: number | undefined): number | undefined {
  const pages = s.def.memoryBacking?.hugepages;
  if (!pages) return undefined;
  const defaultSize = s.ctx.hugetlbfs?.find((h) => h.isDefault)?.sizeKiB ?? s.ctx.hugetlbfs?.[0]?.sizeKiB ?? 2048;
  if (pages.length === 0) return defaultSize;
  let match = pages.find((p) => cell !== undefined && p.nodeset !== undefined && inSet(p.nodeset, cell));
  match ??= pages.find((p) => p.nodeset === undefined);
  if (!match) return undefined;
  return match.size || defaultSize;
}

function inSet(set: string, n: number): boolean {
  return parseSet(set).includes(n);
}

export function parseSet(set: string): number[] {
  const out: number[] = [];
  for (const part of set.split(',')) {
    if (part.startsWith('^')) continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  const excluded = set
    .split(',')
    .filter((p) => p.startsWith('^'))
    .map((p) => Number(p.slice(1)));
  return out.filter((n) => !excluded.includes(n));
}

export function hugepageDir(s: BuildState, sizeKiB: number): string {
  const mount = s.ctx.hugetlbfs?.find((h) => h.sizeKiB === sizeKiB);
  if (!mount && s.ctx.hugetlbfs)
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.QEMU,
      detail: `Unable to find any usable hugetlbfs mount for ${sizeKiB} KiB`,
    });
  return `${mount?.dir ?? '/dev/hugepages'}/libvirt/qemu/${s.ctx.domainId}-${shortName(s.def)}`;
}

export function ramBackend(s: BuildState, id: string, bytes: number, cell: number | undefined): Props {
  const { def } = s;
  const mb = def.memoryBacking;
  const cellDef = cell === undefined ? undefined : def.cpu?.numa?.find((c) => c.id === cell);
  const access = cellDef?.memAccess ?? mb?.access;
  let page = hugepageFor(s, cell);
  if (page === SYSTEM_PAGE_KIB) page = undefined;
  const p = new Props();
  let prealloc = mb?.allocation?.mode === 'immediate';
  if (page !== undefined) {
    p.set('qom-type', 'memory-backend-file').set('id', id).set('mem-path', hugepageDir(s, page));
    prealloc = true;
  } else if (mb?.source === 'memfd') {
    p.set('qom-type', 'memory-backend-memfd').set('id', id);
  } else if (mb?.source === 'file' || access !== undefined) {
    const dir = s.ctx.memoryBackingDir ?? '/var/lib/libvirt/qemu/ram';
    p.set('qom-type', 'memory-backend-file')
      .set('id', id)
      .set('mem-path', `${dir}/${s.ctx.domainId}-${shortName(def)}/${id}`);
  } else {
    p.set('qom-type', 'memory-backend-ram').set('id', id);
  }
  if (access !== undefined && p.bag['qom-type'] !== 'memory-backend-ram') p.set('share', access === 'shared');
  if (cell === undefined && p.bag['qom-type'] !== 'memory-backend-ram')
    p.set('x-use-canonical-path-for-ramblock-id', false);
  if (prealloc && p.bag['qom-type'] !== 'memory-backend-ram') p.set('prealloc', true);
  p.set('size', bytes);
  const tune = def.numatune;
  const memnode = cell === undefined ? undefined : tune?.memnodes.find((m) => m.cellid === cell);
  const nodeset = memnode?.nodeset ?? (tune?.memory?.placement === 'auto' ? s.ctx.autoNodeset : tune?.memory?.nodeset);
  const mode = memnode?.mode ?? tune?.memory?.mode ?? 'strict';
  if (nodeset !== undefined && mode !== 'restrictive') {
    p.set('host-nodes', parseSet(nodeset));
    p.set('policy', mode === 'strict' ? 'bind' : mode);
  }
  return p;
}

export function buildIOThreads(s: BuildState): void {
  const ids = s.def.iothreadids?.length
    ? s.def.iothreadids
    : Array.from({ length: s.def.iothreads ?? 0 }, (_, i) => ({ id: i + 1 }) as { id: number });
  for (const t of ids) {
    const full = t as NonNullable<DomainDef['iothreadids']>[number];
    const p = new Props().set('qom-type', 'iothread').set('id', `iothread${t.id}`);
    if (full.poll?.max !== undefined) p.set('poll-max-ns', Number(full.poll.max));
    if (full.poll?.grow !== undefined) p.set('poll-grow', full.poll.grow);
    if (full.poll?.shrink !== undefined) p.set('poll-shrink', full.poll.shrink);
    if (full.threadPoolMin !== undefined) p.set('thread-pool-min', full.threadPoolMin);
    if (full.threadPoolMax !== undefined) p.set('thread-pool-max', full.threadPoolMax);
    s.object(p);
  }
}

/** A backend with nothing but its size, which old machine types can express as -numa mem=. */
function isPlainRam(p: Props): boolean {
  return p.bag['qom-type'] === 'memory-backend-ram' && Object.keys(p.bag).length === 3;
}

export function buildNuma(s: BuildState): void {
  const cells = s.def.cpu?.numa ?? [];
  const interconnects = s.def.cpu?.numaInterconnects ?? [];
  const hmat = numaHasHmat(cells, interconnects);
  const backends = cells.map((cell) => ramBackend(s, `ram-node${cell.id}`, cellKiB(s, cell) * 1024, cell.id));
  // Machine types that still accept -numa mem= get it when no cell needs a real backend.
  const machine = findMachine(s.caps, s.def.type === 'kvm' ? 'kvm' : 'tcg', s.def.os.machine ?? '');
  const legacy =
    cells.length > 0 && machine?.numaMemSupported === true && !s.def.maxMemory && backends.every(isPlainRam);
  if (legacy && s.def.memoryBacking?.allocation?.mode === 'immediate') s.add('-mem-prealloc');
  cells.forEach((cell, i) => {
    const backend = backends[i]!;
    const parts = [`node`, `nodeid=${cell.id}`];
    if (cell.cpus) for (const r of cell.cpus.split(',')) parts.push(`cpus=${r}`);
    if (hmat) parts.push(`initiator=${hmatInitiator(cells, interconnects, cell.id)}`);
    if (legacy) parts.push(`mem=${alignMiB(cell.memory) / 1024}`);
    else {
      addThreadContext(s, backend);
      s.object(backend);
      parts.push(`memdev=${backend.bag.id}`);
    }
    s.add('-numa', parts.join(','));
  });
  for (const cell of s.def.cpu?.numa ?? []) {
    for (const d of cell.distances ?? []) s.add('-numa', `dist,src=${cell.id},dst=${d.id},val=${d.value}`);
  }
  if (hmat) buildHmat(s, cells, interconnects);
}

/** A memory-only cell nobody measured gets the first cell with vCPUs as its initiator. */
function hmatInitiator(cells: readonly NumaCell[], interconnects: readonly NumaInterconnect[], id: number): number {
  return numaCellInitiator(cells, interconnects, id) ?? cells.find((c) => c.cpus)?.id ?? 0;
}

const HMAT_HIERARCHY = ['memory', 'first-level', 'second-level', 'third-level'];
const HMAT_CACHE_POLICY: Record<string, string> = {
  none: 'none',
  writeback: 'write-back',
  writethrough: 'write-through',
};

/** -numa hmat-lb for each latency and bandwidth, then -numa hmat-cache for each cell cache. */
function buildHmat(s: BuildState, cells: readonly NumaCell[], interconnects: readonly NumaInterconnect[]): void {
  for (const l of interconnects) {
    const parts = [
      'hmat-lb',
      `initiator=${l.initiator}`,
      `target=${l.target}`,
      `hierarchy=${HMAT_HIERARCHY[l.cache] ?? 'memory'}`,
      `data-type=${l.type}-${l.kind}`,
      l.kind === 'latency' ? `latency=${l.value}` : `bandwidth=${l.value}K`,
    ];
    s.add('-numa', parts.join(','));
  }
  for (const cell of cells) {
    for (const c of cell.caches ?? []) {
      const parts = [
        'hmat-cache',
        `node-id=${cell.id}`,
        `size=${c.size}K`,
        `level=${c.level}`,
        `associativity=${c.associativity}`,
        `policy=${HMAT_CACHE_POLICY[c.policy] ?? c.policy}`,
        `line=${c.line}`,
      ];
      s.add('-numa', parts.join(','));
    }
  }
}
