/** <portgroup>: named sets of vlan / virtualport / bandwidth settings guests can pick. */

import { ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { firstChild } from '../adapter.js';
import { parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { a, type XmlWriter } from '../writer.js';
import { type Bandwidth, formatBandwidth, parseBandwidth } from './bandwidth.js';
import { formatVirtualPort, parseVirtualPort, type VirtualPort } from './virtualport.js';
import { formatVlan, parseVlan, type Vlan } from './vlan.js';

export interface PortGroup {
  name: string;
  default?: boolean;
  trustGuestRxFilters?: boolean;
  vlan?: Vlan;
  virtualPort?: VirtualPort;
  bandwidth?: Bandwidth;
}

const D = ErrorDomain.NETWORK;

export function parsePortGroup(node: XmlElement): PortGroup {
  const name = node.attrs.name;
  if (!name) throw xmlError(D, 'Missing required name attribute in portgroup');
  const pg: PortGroup = { name };
  // libvirt treats anything but a case-insensitive "yes" as not-default.
  if (node.attrs.default?.toLowerCase() === 'yes') pg.default = true;
  const trust = parseYesNo(node, 'trustGuestRxFilters', D);
  if (trust !== undefined) pg.trustGuestRxFilters = trust;
  const vp = firstChild(node, 'virtualport');
  if (vp) pg.virtualPort = parseVirtualPort(vp, false);
  const bw = firstChild(node, 'bandwidth');
  if (bw) {
    const parsed = parseBandwidth(bw);
    if (parsed) pg.bandwidth = parsed;
  }
  const vlan = firstChild(node, 'vlan');
  if (vlan) pg.vlan = parseVlan(vlan);
  return pg;
}

export function formatPortGroup(w: XmlWriter, pg: PortGroup): void {
  w.open(
    'portgroup',
    a('name', pg.name) +
      a('default', pg.default ? 'yes' : undefined) +
      a('trustGuestRxFilters', yesNo(pg.trustGuestRxFilters)),
  );
  formatVlan(w, pg.vlan);
  formatVirtualPort(w, pg.virtualPort);
  formatBandwidth(w, pg.bandwidth);
  w.close('portgroup');
}
