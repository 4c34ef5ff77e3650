/** <ip>: the network's own address, with <tftp> and <dhcp> (ranges, static hosts, leases, bootp). */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements, firstChild } from '../adapter.js';
import { attrString, parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { a, attrList, type XmlWriter } from '../writer.js';
import { checkRange, effectivePrefix, type IpAddr, isMulticastMac, normalizeMac, parseIp } from './addresses.js';

export const LEASE_UNITS = ['seconds', 'minutes', 'hours'] as const;
export type LeaseUnit = (typeof LEASE_UNITS)[number];

/** expiry 0 means an infinite lease (written without a unit). */
export interface DhcpLease {
  expiry: number;
  unit: LeaseUnit;
}

export interface DhcpRange {
  start: string;
  end: string;
  lease?: DhcpLease;
}

export interface DhcpHost {
  mac?: string;
  /** DHCPv6 client id (DUID). */
  id?: string;
  name?: string;
  ip?: string;
  lease?: DhcpLease;
}

export interface NetworkIp {
  family?: 'ipv4' | 'ipv6';
  address: string;
  netmask?: string;
  prefix?: number;
  localPtr?: boolean;
  tftpRoot?: string;
  dhcp?: {
    ranges: DhcpRange[];
    hosts: DhcpHost[];
    bootp?: { file: string; server?: string };
  };
}

const D = ErrorDomain.NETWORK;
const XE = ErrorCode.XML_ERROR;
const CU = ErrorCode.CONFIG_UNSUPPORTED;

export function parseNetworkIp(node: XmlElement, networkName: string): NetworkIp {
  const family = attrString(node, 'family');
  const addressText = attrString(node, 'address');
  if (addressText === undefined)
    throw xmlError(D, `Missing required address attribute in network '${networkName}'`, XE);
  const address = parseIp(addressText);
  if (!address) throw xmlError(D, `Invalid address '${addressText}' in network '${networkName}'`, XE);
  const netmaskText = attrString(node, 'netmask');
  const netmask = netmaskText === undefined ? undefined : parseIp(netmaskText);
  if (netmaskText !== undefined && !netmask) {
    throw xmlError(D, `Invalid netmask '${netmaskText}' in network '${networkName}'`, XE);
  }
  let prefix: number | undefined;
  if (node.attrs.prefix !== undefined) {
    prefix = toUnsigned(node.attrs.prefix, 0xffffffff);
    if (prefix === undefined) {
      throw xmlError(D, `Invalid value for attribute 'prefix' in element 'ip': '${node.attrs.prefix}'.`, XE);
    }
  }
  const localPtr = parseYesNo(node, 'localPtr', D);

  if (family === undefined || family === 'ipv4') {
    if (address.family !== 4) {
      throw xmlError(
        D,
        `${family === undefined ? 'no' : 'ipv4'} family specified for non-IPv4 address '${addressText}' in network '${networkName}'`,
        CU,
      );
    }
    if (netmask) {
      if (netmask.family !== 4) {
        throw xmlError(
          D,
          `Invalid netmask '${netmaskText}' for address '${addressText}' in network '${networkName}' (both must be IPv4)`,
          CU,
        );
      }
      if (prefix) throw xmlError(D, `Network '${networkName}' IP address cannot have both a prefix and a netmask`, CU);
    } else if (prefix !== undefined && prefix > 32) {
      throw xmlError(D, `Invalid IPv4 prefix '${prefix}' in network '${networkName}'`, CU);
    }
  } else if (family === 'ipv6') {
    if (address.family !== 6) {
      throw xmlError(
        D,
        `Family 'ipv6' specified for non-IPv6 address '${addressText}' in network '${networkName}'`,
        CU,
      );
    }
    if (netmask)
      throw xmlError(D, `netmask not allowed for IPv6 address '${addressText}' in network '${networkName}'`, CU);
    if (prefix !== undefined && prefix > 128)
      throw xmlError(D, `Invalid IPv6 prefix '${prefix}' in network '${networkName}'`, CU);
  } else {
    throw xmlError(D, `Unrecognized family '${family}' in network '${networkName}'`, XE);
  }

  const ip: NetworkIp = { address: address.text };
  if (family) ip.family = family;
  if (netmask) ip.netmask = netmask.text;
  if (prefix) ip.prefix = prefix;
  if (localPtr !== undefined) ip.localPtr = localPtr;

  const dhcp = firstChild(node, 'dhcp');
  if (dhcp) ip.dhcp = parseDhcp(dhcp, networkName, address, effectivePrefix(address, netmask, prefix));

  const tftp = firstChild(node, 'tftp');
  if (tftp) {
    if (address.family !== 4) {
      throw xmlError(D, `Unsupported <tftp> element in an IPv6 element in network '${networkName}'`, CU);
    }
    const root = attrString(tftp, 'root');
    if (root !== undefined) ip.tftpRoot = root;
  }
  return ip;
}

function parseDhcp(
  node: XmlElement,
  networkName: string,
  address: IpAddr,
  prefix: number | undefined,
): NetworkIp['dhcp'] {
  const out: NonNullable<NetworkIp['dhcp']> = { ranges: [], hosts: [] };
  for (const r of childElements(node, 'range')) {
    const s = attrString(r, 'start');
    if (s === undefined) throw xmlError(D, `Missing 'start' attribute in dhcp range for network '${networkName}'`, XE);
    const start = parseIp(s);
    if (!start) throw badAddress(s);
    const e = attrString(r, 'end');
    if (e === undefined) throw xmlError(D, `Missing 'end' attribute in dhcp range for network '${networkName}'`, XE);
    const end = parseIp(e);
    if (!end) throw badAddress(e);
    checkRange(start, end, address, prefix);
    const range: DhcpRange = { start: start.text, end: end.text };
    const lease = firstChild(r, 'lease');
    if (lease) {
      const l = parseLease(lease);
      if (l) range.lease = l;
    }
    out.ranges.push(range);
  }
  for (const h of childElements(node, 'host')) out.hosts.push(parseDhcpHost(h, networkName, address));
  const bootp = firstChild(node, 'bootp');
  if (bootp && address.family === 4) {
    const file = attrString(bootp, 'file');
    if (file === undefined) throw xmlError(D, "Missing required attribute 'file' in element 'bootp'", XE);
    const serverText = attrString(bootp, 'server');
    const b: { file: string; server?: string } = { file };
    if (serverText !== undefined) {
      const server = parseIp(serverText);
      if (!server) throw badAddress(serverText);
      b.server = server.text;
    }
    out.bootp = b;
  }
  return out;
}

function badAddress(text: string): Error {
  return xmlError(D, `Cannot parse address '${text}'`, ErrorCode.INTERNAL_ERROR);
}

function parseLease(node: XmlElement): DhcpLease | undefined {
  const expiryText = node.attrs.expiry;
  if (expiryText === undefined) return undefined;
  const expiry = toUnsigned(expiryText);
  if (expiry === undefined) {
    throw xmlError(D, `Invalid value for attribute 'expiry' in element 'lease': '${expiryText}'.`, XE);
  }
  const unitText = node.attrs.unit;
  let unit: LeaseUnit = 'minutes';
  if (unitText !== undefined) {
    if (!(LEASE_UNITS as readonly string[]).includes(unitText)) {
      throw xmlError(D, `Invalid value for attribute 'unit' in element 'lease': '${unitText}'.`, XE);
    }
    unit = unitText as LeaseUnit;
  }
  // dnsmasq refuses leases shorter than two minutes.
  if (expiry > 0 && ((unit === 'seconds' && expiry < 120) || (unit === 'minutes' && expiry < 2))) {
    throw xmlError(D, 'The minimum lease time should be greater than 2 minutes', CU);
  }
  return { expiry, unit };
}

/** A static DHCP host; `partial` is net-update's delete/modify form (one of mac, name, ip suffices). */
export function parseDhcpHost(node: XmlElement, networkName: string, address: IpAddr, partial = false): DhcpHost {
  const host: DhcpHost = {};
  const mac = attrString(node, 'mac');
  if (mac !== undefined) {
    if (address.family === 6) {
      throw xmlError(
        D,
        `Invalid to specify MAC address '${mac}' in network '${networkName}' IPv6 static host definition`,
        XE,
      );
    }
    const m = normalizeMac(mac);
    if (!m) throw xmlError(D, `Cannot parse MAC address '${mac}' in network '${networkName}'`, XE);
    if (isMulticastMac(m)) {
      throw xmlError(D, `expected unicast mac address, found multicast '${mac}' in network '${networkName}'`, XE);
    }
    host.mac = mac;
  }
  const id = attrString(node, 'id');
  if (id !== undefined) {
    const bad = /[^0-9a-fA-F:]/.exec(id);
    if (bad) throw xmlError(D, `Invalid character '${bad[0]}' in id '${id}' of network '${networkName}'`, XE);
    host.id = id;
  }
  const name = attrString(node, 'name');
  if (name !== undefined) {
    if (!/^[A-Za-z0-9]/.test(name)) throw xmlError(D, `Cannot use host name '${name}' in network '${networkName}'`, XE);
    host.name = name;
  }
  const ipText = attrString(node, 'ip');
  if (ipText !== undefined) {
    const ip = parseIp(ipText);
    if (!ip) throw xmlError(D, `Invalid IP address in static host definition for network '${networkName}'`, XE);
    host.ip = ip.text;
  }
  if (partial) {
    if (!(host.mac || host.name || host.ip)) {
      throw xmlError(
        D,
        `At least one of name, mac, or ip attribute must be specified for static host definition in network '${networkName}'`,
        XE,
      );
    }
  } else {
    if (address.family === 6) {
      if (!(host.id || host.name)) {
        throw xmlError(D, `Static host definition in IPv6 network '${networkName}' must have id or name attribute`, XE);
      }
    } else if (!(host.mac || host.name)) {
      throw xmlError(D, `Static host definition in IPv4 network '${networkName}' must have mac or name attribute`, XE);
    }
    if (!host.ip) throw xmlError(D, `Missing IP address in static host definition for network '${networkName}'`, XE);
  }
  const lease = firstChild(node, 'lease');
  if (lease) {
    const l = parseLease(lease);
    if (l) host.lease = l;
  }
  return host;
}

function formatLease(w: XmlWriter, lease: DhcpLease): void {
  if (lease.expiry === 0) w.empty('lease', a('expiry', 0));
  else w.empty('lease', a('expiry', lease.expiry) + a('unit', lease.unit));
}

export function formatDhcpHost(w: XmlWriter, h: DhcpHost): void {
  const attrs: Array<[string, string | undefined]> = [
    ['mac', h.mac],
    ['id', h.id],
    ['name', h.name],
    ['ip', h.ip],
  ];
  if (!h.lease) {
    w.empty('host', attrList(attrs));
    return;
  }
  w.open('host', attrList(attrs));
  formatLease(w, h.lease);
  w.close('host');
}

export function formatNetworkIp(w: XmlWriter, ip: NetworkIp): void {
  w.open(
    'ip',
    a('family', ip.family) +
      a('address', ip.address) +
      a('netmask', ip.netmask) +
      a('prefix', ip.prefix || undefined) +
      a('localPtr', yesNo(ip.localPtr)),
  );
  if (ip.tftpRoot !== undefined) w.empty('tftp', a('root', ip.tftpRoot));
  const dhcp = ip.dhcp;
  // libvirt keeps <dhcp> only when it hands something out.
  if (dhcp && (dhcp.ranges.length > 0 || dhcp.hosts.length > 0)) {
    w.open('dhcp');
    for (const r of dhcp.ranges) {
      if (r.lease) {
        w.open('range', a('start', r.start) + a('end', r.end));
        formatLease(w, r.lease);
        w.close('range');
      } else {
        w.empty('range', a('start', r.start) + a('end', r.end));
      }
    }
    for (const h of dhcp.hosts) formatDhcpHost(w, h);
    if (dhcp.bootp) w.empty('bootp', a('file', dhcp.bootp.file) + a('server', dhcp.bootp.server));
    w.close('dhcp');
  }
  w.close('ip');
}
