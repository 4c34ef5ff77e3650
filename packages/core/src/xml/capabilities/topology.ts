/** <topology> of the capabilities host: NUMA cells with memory, free pages, distances and CPUs. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { childElements, firstChild, textOf, type XmlElement } from '../adapter.js';
import { attrString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { scaleSize } from '../common/sizes.js';
import { a, type XmlWriter } from '../writer.js';
import type { HostCaps, HostNumaCell, HostNumaCpu } from './types.js';

const D = ErrorDomain.CAPABILITIES;

function required(el: XmlElement, attr: string): number {
  const n = toUnsigned(el.attrs[attr]);
  if (n === undefined) throw xmlError(D, `missing or invalid '${attr}' attribute of <${el.name}>`, ErrorCode.XML_ERROR);
  return n;
}

function optional(el: XmlElement, attr: string): number | undefined {
  return el.attrs[attr] === undefined ? undefined : required(el, attr);
}

export function parseTopology(node: XmlElement): Pick<HostCaps, 'cells' | 'interconnects'> {
  const out: Pick<HostCaps, 'cells' | 'interconnects'> = {};
  const cells = firstChild(node, 'cells');
  if (cells) {
    out.cells = childElements(cells, 'cell').map((c): HostNumaCell => {
      const cell: HostNumaCell = { id: required(c, 'id'), pages: [], distances: [], caches: childElements(c, 'cache') };
      const mem = firstChild(c, 'memory');
      if (mem)
        cell.memory =
          Number(scaleSize(textOf(mem), attrString(mem, 'unit'), D, 'malformed memory element', undefined, 1024)) /
          1024;
      for (const p of childElements(c, 'pages')) {
        const count = toUnsigned(textOf(p));
        if (count === undefined) throw xmlError(D, 'malformed pages element', ErrorCode.XML_ERROR);
        cell.pages.push({ size: required(p, 'size'), count });
      }
      const dist = firstChild(c, 'distances');
      if (dist)
        for (const s of childElements(dist, 'sibling'))
          cell.distances.push({ id: required(s, 'id'), value: required(s, 'value') });
      const cpus = firstChild(c, 'cpus');
      if (cpus) {
        cell.cpus = childElements(cpus, 'cpu').map((x): HostNumaCpu => {
          const cpu: HostNumaCpu = { id: required(x, 'id') };
          const socketId = optional(x, 'socket_id');
          if (socketId !== undefined) cpu.socketId = socketId;
          const dieId = optional(x, 'die_id');
          if (dieId !== undefined) cpu.dieId = dieId;
          const clusterId = optional(x, 'cluster_id');
          if (clusterId !== undefined) cpu.clusterId = clusterId;
          const coreId = optional(x, 'core_id');
          if (coreId !== undefined) cpu.coreId = coreId;
          if (x.attrs.siblings !== undefined) cpu.siblings = x.attrs.siblings;
          return cpu;
        });
      }
      return cell;
    });
  }
  const ic = firstChild(node, 'interconnects');
  if (ic) out.interconnects = ic;
  return out;
}

export function formatTopology(w: XmlWriter, host: HostCaps): void {
  if (!host.cells) return;
  w.open('topology');
  w.open('cells', a('num', host.cells.length));
  for (const c of host.cells) {
    w.open('cell', a('id', c.id));
    if (c.memory !== undefined) w.optText('memory', c.memory, a('unit', 'KiB'));
    for (const p of c.pages) w.optText('pages', p.count, a('unit', 'KiB') + a('size', p.size));
    if (c.distances.length > 0) {
      w.open('distances');
      for (const d of c.distances) w.empty('sibling', a('id', d.id) + a('value', d.value));
      w.close('distances');
    }
    for (const cache of c.caches) w.copy(cache);
    if (c.cpus) {
      w.open('cpus', a('num', c.cpus.length));
      for (const x of c.cpus) {
        w.empty(
          'cpu',
          a('id', x.id) +
            a('socket_id', x.socketId) +
            a('die_id', x.dieId) +
            a('cluster_id', x.clusterId) +
            a('core_id', x.coreId) +
            a('siblings', x.siblings),
        );
      }
      w.close('cpus');
    }
    w.close('cell');
  }
  w.close('cells');
  if (host.interconnects) w.copy(host.interconnects);
  w.close('topology');
}
