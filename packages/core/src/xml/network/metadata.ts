/**
 * <metadata>: applications' own XML, kept verbatim. As libvirt does, only namespaced elements
 * survive, one per namespace, each carrying its own xmlns declaration so it can be moved alone.
 */
import type { XmlElement } from '../adapter.js';
import { childElements, serializeXml } from '../adapter.js';
import type { XmlWriter } from '../writer.js';

/** The element's namespace URI, looked up on itself and then on its ancestors. */
function namespaceOf(el: XmlElement, ancestors: readonly XmlElement[]): { attr: string; uri: string } | undefined {
  const colon = el.name.indexOf(':');
  const attr = colon >= 0 ? `xmlns:${el.name.slice(0, colon)}` : 'xmlns';
  for (const scope of [el, ...[...ancestors].reverse()]) {
    const uri = scope.attrs[attr];
    if (uri !== undefined) return uri === '' ? undefined : { attr, uri };
  }
  return undefined;
}

/** Children of <metadata> to keep; `ancestors` are the elements above <metadata> (root first). */
export function parseMetadata(node: XmlElement, ancestors: readonly XmlElement[]): XmlElement[] {
  const seen = new Set<string>();
  const out: XmlElement[] = [];
  for (const child of childElements(node)) {
    const ns = namespaceOf(child, [...ancestors, node]);
    if (!ns || seen.has(ns.uri)) continue;
    seen.add(ns.uri);
    const attrs = child.attrs[ns.attr] === undefined ? { [ns.attr]: ns.uri, ...child.attrs } : child.attrs;
    out.push({ ...child, attrs });
  }
  return out;
}

export function formatMetadata(w: XmlWriter, metadata: readonly XmlElement[] | undefined): void {
  if (!metadata) return;
  if (metadata.length === 0) {
    w.empty('metadata');
    return;
  }
  w.open('metadata');
  for (const m of metadata) w.lines(serializeXml({ raw: m }, w.level));
  w.close('metadata');
}
