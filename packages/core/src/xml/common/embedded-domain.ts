/**
 * A <domain> carried inside another document (snapshot, checkpoint): read out as XML text for
 * the domain modules, and written back indented at the current depth.
 */
import type { XmlElement } from '../adapter.js';
import { XmlWriter } from '../writer.js';

/** The subtree as XML text in libvirt's layout, with its root renamed to `rootName`. */
export function embeddedXml(el: XmlElement, rootName = 'domain'): string {
  const w = new XmlWriter();
  w.copy({ ...el, name: rootName });
  return w.toString();
}

/** Write a <domain> document line by line at the writer's indent, renamed to `rootName`. */
export function writeEmbedded(w: XmlWriter, xml: string, rootName = 'domain'): void {
  let text = xml.trimEnd();
  if (rootName !== 'domain') text = text.replace(/^<domain\b/, `<${rootName}`).replace(/<\/domain>$/, `</${rootName}>`);
  for (const line of text.split('\n')) w.line(line);
}
