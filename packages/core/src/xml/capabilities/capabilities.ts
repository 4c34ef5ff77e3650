/** <capabilities>: top-level parse and format (virsh capabilities). */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { childElements, firstChild, parseXml } from '../adapter.js';
import { xmlError } from '../common/errors.js';
import { XmlWriter } from '../writer.js';
import { formatGuest, parseGuest } from './guest.js';
import { formatHost, parseHost } from './host.js';
import type { CapabilitiesDef } from './types.js';

export function parseCapabilitiesXml(xml: string): CapabilitiesDef {
  const root = parseXml(xml, { documentName: 'capabilities', domain: ErrorDomain.XML });
  if (root.name !== 'capabilities') {
    throw new VirError({
      code: ErrorCode.XML_ERROR,
      domain: ErrorDomain.XML,
      detail: `expecting root element of 'capabilities', not '${root.name}'`,
    });
  }
  const host = firstChild(root, 'host');
  if (!host) throw xmlError(ErrorDomain.CAPABILITIES, 'missing <host> element in capabilities', ErrorCode.XML_ERROR);
  return { host: parseHost(host), guests: childElements(root, 'guest').map(parseGuest) };
}

/**
 * Format as libvirt does: host and each guest separated by blank lines, and a blank line
 * before </capabilities>.
 */
export function formatCapabilitiesXml(def: CapabilitiesDef): string {
  const w = new XmlWriter();
  w.open('capabilities');
  w.line('');
  formatHost(w, def.host);
  for (const g of def.guests) {
    w.line('');
    formatGuest(w, g);
  }
  w.line('');
  w.close('capabilities');
  return w.toString();
}
