/**
 * <throttlegroups>: named I/O limits that disks share through their <throttlefilters>; each
 * group carries the same fields as a disk's <iotune>, with group_name required.
 */

import type { XmlWriter } from '../writer.js';
import { IOTUNE_FIELDS } from './devices/disk.js';
import type { DomainDef } from './types.js';
import { xmlError } from './util/errors.js';
import { children, childString, firstChild, type XmlElement } from './util/parse.js';

export type ThrottleGroup = Partial<Record<(typeof IOTUNE_FIELDS)[number], string>> & { group_name: string };

export function parseThrottleGroups(root: XmlElement, def: DomainDef): void {
  const el = firstChild(root, 'throttlegroups');
  if (!el) return;
  const groups: ThrottleGroup[] = [];
  for (const g of children(el, 'throttlegroup')) {
    const t: Partial<ThrottleGroup> = {};
    for (const f of IOTUNE_FIELDS) {
      const v = childString(g, f);
      if (v !== undefined) t[f] = v.trim();
    }
    if (!t.group_name) throw xmlError('missing group name');
    if (groups.some((x) => x.group_name === t.group_name))
      throw xmlError(`duplicate throttle group name '${t.group_name}' found`);
    groups.push(t as ThrottleGroup);
  }
  if (groups.length) def.throttleGroups = groups;
}

export function formatThrottleGroups(w: XmlWriter, def: DomainDef): void {
  if (!def.throttleGroups?.length) return;
  w.open('throttlegroups');
  for (const g of def.throttleGroups) {
    w.open('throttlegroup');
    for (const f of IOTUNE_FIELDS) {
      const v = g[f];
      if (v !== undefined) w.text(f, v);
    }
    w.close('throttlegroup');
  }
  w.close('throttlegroups');
}
