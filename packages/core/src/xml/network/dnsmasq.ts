/** The dnsmasq XML namespace: <dnsmasq:options> passed straight to the network's dnsmasq. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements } from '../adapter.js';
import { xmlError } from '../common/errors.js';
import { a, type XmlWriter } from '../writer.js';

export const DNSMASQ_NAMESPACE = 'http://libvirt.org/schemas/network/dnsmasq/1.0';

/** The prefix bound to the dnsmasq namespace on the root element, if any. */
export function dnsmasqPrefix(root: XmlElement): string | undefined {
  for (const [k, v] of Object.entries(root.attrs)) {
    if (k.startsWith('xmlns:') && v === DNSMASQ_NAMESPACE) return k.slice(6);
  }
  return undefined;
}

export function parseDnsmasqOptions(root: XmlElement): string[] | undefined {
  const prefix = dnsmasqPrefix(root);
  if (prefix === undefined) return undefined;
  const nodes = childElements(root, `${prefix}:options`);
  if (nodes.length === 0) return undefined;
  const options: string[] = [];
  for (const opt of childElements(nodes[0]!, `${prefix}:option`)) {
    const value = opt.attrs.value;
    if (value === undefined) {
      throw xmlError(ErrorDomain.NETWORK, 'No dnsmasq options value specified', ErrorCode.XML_ERROR);
    }
    options.push(value);
  }
  return options;
}

export function formatDnsmasqOptions(w: XmlWriter, options: readonly string[] | undefined): void {
  if (!options || options.length === 0) return;
  w.open('dnsmasq:options');
  for (const o of options) w.empty('dnsmasq:option', a('value', o));
  w.close('dnsmasq:options');
}
