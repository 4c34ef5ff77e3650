/** Small helpers for editing a definition's device lists the way libvirt inserts devices. */
import type { ControllerDef, DomainDef, RawDeviceKind, XmlElement, XmlNode } from '@tsvirt/core';

/**
 * Insert a controller as libvirt does: just after the last controller of the same type with a
 * lower index (or before the first with a higher one), else at the end of the list.
 */
export function insertController(def: DomainDef, c: ControllerDef): void {
  const list = def.devices.controllers;
  let at = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    const cur = list[i]!;
    if (cur.type !== c.type) continue;
    if (cur.index > c.index) at = i;
    else if (at === -1) at = i + 1;
  }
  if (at === -1) list.push(c);
  else list.splice(at, 0, c);
}

export function findController(def: DomainDef, type: string, index: number): ControllerDef | undefined {
  return def.devices.controllers.find((c) => c.type === type && c.index === index);
}

/** Add a controller of this type and index unless one exists; returns the new one, if added. */
export function maybeAddController(
  def: DomainDef,
  type: ControllerDef['type'],
  index: number,
  model?: string,
): ControllerDef | undefined {
  if (findController(def, type, index)) return undefined;
  const c: ControllerDef = { type, index, info: {} };
  if (model !== undefined) c.model = model;
  insertController(def, c);
  return c;
}

export function rawDevices(def: DomainDef, kind: RawDeviceKind): XmlElement[] {
  return def.devices.raw[kind] ?? [];
}

export function appendRaw(def: DomainDef, kind: RawDeviceKind, el: XmlElement): void {
  const list = def.devices.raw[kind] ?? [];
  list.push(el);
  def.devices.raw[kind] = list;
}

/** A new element with attributes in the given order and no children. */
export function element(name: string, attrs: Record<string, string>, nodes: XmlNode[] = []): XmlElement {
  return { name, attrs, nodes };
}

export function childOf(el: XmlElement, name: string): XmlElement | undefined {
  for (const n of el.nodes) if (typeof n !== 'string' && n.name === name) return n;
  return undefined;
}
