/** <route> static routes of a network. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { a, type XmlWriter } from '../writer.js';
import { parseIp } from './addresses.js';

export interface NetworkRoute {
  family?: 'ipv4' | 'ipv6';
  address: string;
  netmask?: string;
  prefix?: number;
  gateway: string;
  metric?: number;
}

const D = ErrorDomain.NETWORK;
const CU = ErrorCode.CONFIG_UNSUPPORTED;

export function parseRoute(node: XmlElement, networkName: string): NetworkRoute {
  const a = node.attrs;
  const family = a.family;
  if (family !== undefined && family !== 'ipv4' && family !== 'ipv6') {
    throw xmlError(D, `Unrecognized family '${family}' in route definition for network '${networkName}'`, CU);
  }
  if (a.address === undefined) {
    throw xmlError(D, `Missing required address attribute in route definition for network '${networkName}'`, CU);
  }
  const address = parseIp(a.address);
  if (!address)
    throw xmlError(D, `Bad network address '${a.address}' in route definition for network '${networkName}'`, CU);
  if (a.gateway === undefined) {
    throw xmlError(D, `Missing required gateway attribute in route definition for network '${networkName}'`, CU);
  }
  const gateway = parseIp(a.gateway);
  if (!gateway)
    throw xmlError(D, `Bad gateway address '${a.gateway}' in route definition for network '${networkName}'`, CU);
  const route: NetworkRoute = { address: address.text, gateway: gateway.text };
  if (family) route.family = family;
  if (a.netmask !== undefined) {
    const m = parseIp(a.netmask);
    if (!m || m.family !== 4)
      throw xmlError(D, `Bad netmask address '${a.netmask}' in route definition for network '${networkName}'`, CU);
    route.netmask = m.text;
  }
  if (a.prefix !== undefined) {
    const p = toUnsigned(a.prefix, address.family === 4 ? 32 : 128);
    if (p === undefined)
      throw xmlError(D, `Invalid prefix specified in route definition for network '${networkName}'`, CU);
    route.prefix = p;
  }
  if (a.metric !== undefined) {
    const m = toUnsigned(a.metric, 0xffffffff);
    if (m === undefined || m === 0)
      throw xmlError(D, `Invalid metric value, must be > 0 in route definition for network '${networkName}'`, CU);
    route.metric = m;
  }
  return route;
}

/** Writes <route>, the same element in network XML and in a domain interface's <ip> data. */
export function formatRoute(w: XmlWriter, r: Omit<NetworkRoute, 'family'> & { family?: string }): void {
  w.empty(
    'route',
    a('family', r.family) +
      a('address', r.address) +
      a('netmask', r.netmask) +
      a('prefix', r.prefix) +
      a('gateway', r.gateway) +
      a('metric', r.metric),
  );
}
