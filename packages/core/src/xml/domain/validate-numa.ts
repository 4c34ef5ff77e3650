/**
 * Rules tying <numatune> to the guest NUMA cells of <cpu><numa>: libvirt checks them once both
 * are known (numa_conf.c's memnode parsing and virDomainNumaDefValidate).
 */
import type { DomainDef } from './types.js';
import { parseBitmap } from './util/bitmap.js';
import { unsupported, xmlDetail, xmlError } from './util/errors.js';
import { firstChild, textOf } from './util/parse.js';

/**
 * Huge page sizes: at most one without a nodeset (the default size), nodesets that do not
 * overlap, and only guest NUMA nodes that exist (a guest without cells has none to name).
 */
export function validateHugepageNodes(def: DomainDef): void {
  const pages = def.memoryBacking?.hugepages ?? [];
  const masks = pages.map((p) => (p.nodeset === undefined ? undefined : new Set(parseBitmap(p.nodeset))));
  const cells = def.cpu?.numa?.length ?? 0;
  pages.forEach((page, i) => {
    const mask = masks[i];
    for (let j = 0; j < i; j++) {
      const other = masks[j];
      if (mask && other && [...mask].some((n) => other.has(n)))
        throw xmlDetail(`nodeset attribute of hugepages of sizes ${page.size} and ${pages[j]!.size} intersect`);
      if (!mask && !other) throw xmlDetail(`two master hugepages detected: ${page.size} and ${pages[j]!.size}`);
    }
    const missing = mask ? [...mask].sort((a, b) => a - b).find((n) => n >= cells) : undefined;
    if (missing !== undefined) throw xmlDetail(`hugepages: node ${missing} not found`);
  });
}

/** A memory device placed on a guest NUMA node needs that node. */
export function validateMemoryDeviceNodes(def: DomainDef): void {
  const cells = def.cpu?.numa?.length ?? 0;
  for (const mem of def.devices.raw.memory ?? []) {
    const node = firstChild(firstChild(mem, 'target') ?? mem, 'node');
    if (!node || cells === 0) continue;
    const n = Number(textOf(node).trim());
    if (Number.isInteger(n) && n >= cells)
      throw xmlDetail(
        `can't add memory backend for guest node '${n}' as the guest has only '${cells}' NUMA nodes configured`,
      );
  }
}

export function validateNumatune(def: DomainDef): void {
  const tune = def.numatune;
  if (!tune || tune.memnodes.length === 0) return;
  if (tune.memory?.placement === 'auto')
    throw unsupported('Per-node binding is not compatible with automatic NUMA placement.');
  const cells = def.cpu?.numa?.length ?? 0;
  if (cells === 0) throw xmlError("Element 'memnode' is invalid without any guest NUMA cells");
  if (tune.memnodes.some((n) => n.cellid >= cells))
    throw xmlError("Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell");
  // Without <memory>, the domain-wide mode is libvirt's default, strict.
  const memoryRestrictive = tune.memory?.mode === 'restrictive';
  for (const node of [...tune.memnodes].sort((x, y) => x.cellid - y.cellid)) {
    const nodeRestrictive = node.mode === 'restrictive';
    if (memoryRestrictive && !nodeRestrictive)
      throw xmlError("'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element");
    if (nodeRestrictive && !memoryRestrictive)
      throw xmlError("'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element");
  }
}
