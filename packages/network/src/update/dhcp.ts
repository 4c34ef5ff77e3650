/** net-update's ip-dhcp-host and ip-dhcp-range sections: entries of an <ip>'s <dhcp>. */
import {
  checkRange,
  ErrorCode,
  type NetworkDef,
  type NetworkIp,
  parseDhcpHost,
  parseIp,
  type XmlElement,
} from '@tsvirt/core';
import { ipPrefix } from '../addr/subnet.js';
import { networkError } from '../errors.js';
import { type DhcpHost, type DhcpRange, servesDhcp } from '../model.js';
import { invalid, noSupport, orNull } from './errors.js';
import { type Command, insert } from './list.js';

/** The <ip> an update works on: the one at parentIndex, else the one serving DHCP, else the first. */
function targetIp(def: NetworkDef, parentIndex: number): NetworkIp {
  if (parentIndex >= 0) {
    const ip = def.ips[parentIndex];
    if (!ip) {
      throw invalid(
        `couldn't update dhcp host entry - no <ip> element found at index ${parentIndex} in network '${def.name}'`,
      );
    }
    return ip;
  }
  const ip =
    def.ips.find(servesDhcp) ??
    def.ips.find((i) => parseIp(i.address)?.family === 4) ??
    def.ips.find((i) => parseIp(i.address)?.family === 6);
  if (!ip) throw invalid(`couldn't update dhcp host entry - no <ip> element found in network '${def.name}'`);
  return ip;
}

function dhcpOf(ip: NetworkIp): NonNullable<NetworkIp['dhcp']> {
  ip.dhcp ??= { ranges: [], hosts: [] };
  return ip.dhcp;
}

const sameMac = (a?: string, b?: string) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
const sameIp = (a?: string, b?: string) => a !== undefined && b !== undefined && parseIp(a)?.text === parseIp(b)?.text;

/** Mutates `def` (a copy the caller owns). */
export function updateDhcpHost(def: NetworkDef, command: Command, parentIndex: number, node: XmlElement): void {
  const ip = targetIp(def, parentIndex);
  const address = parseIp(ip.address)!;
  const host: DhcpHost = parseDhcpHost(node, def.name, address, command === 'delete');
  if (command !== 'delete' && host.ip && parseIp(host.ip)?.family !== address.family) {
    throw invalid("the address family of a host entry IP must match the address family of the dhcp element's parent");
  }
  const dhcp = dhcpOf(ip);
  const text = `"<host mac='${orNull(host.mac)}' name='${orNull(host.name)}' ip='${orNull(host.ip)}'/>"`;
  if (command === 'modify') {
    // The entry with the same MAC, address or name takes the new values (an id is not compared).
    const i = dhcp.hosts.findIndex(
      (h) => sameMac(h.mac, host.mac) || sameIp(h.ip, host.ip) || (host.name !== undefined && h.name === host.name),
    );
    if (i < 0) {
      throw invalid(
        `couldn't locate an existing dhcp host entry with "mac='${host.mac ?? 'unknown'}'" "name='${orNull(host.name)}'" "ip='${orNull(host.ip)}'" in network '${def.name}'`,
      );
    }
    dhcp.hosts[i] = host;
  } else if (command === 'delete') {
    // Every attribute given must match.
    const i = dhcp.hosts.findIndex(
      (h) =>
        (host.mac === undefined || sameMac(h.mac, host.mac)) &&
        (host.id === undefined || h.id === host.id) &&
        (host.name === undefined || h.name === host.name) &&
        (host.ip === undefined || sameIp(h.ip, host.ip)),
    );
    if (i < 0) throw invalid(`couldn't locate a matching dhcp host entry in network '${def.name}'`);
    dhcp.hosts.splice(i, 1);
  } else {
    // No second entry with the same MAC, name or address (an id is not compared, as in libvirt).
    const clash = dhcp.hosts.some(
      (h) => sameMac(h.mac, host.mac) || (host.name !== undefined && h.name === host.name) || sameIp(h.ip, host.ip),
    );
    if (clash) throw invalid(`there is an existing dhcp host entry in network '${def.name}' that matches ${text}`);
    insert(dhcp.hosts, host, command);
  }
}

export function updateDhcpRange(def: NetworkDef, command: Command, parentIndex: number, node: XmlElement): void {
  const ip = targetIp(def, parentIndex);
  if (command === 'modify') throw noSupport('dhcp ranges cannot be modified, only added or deleted');
  const startText = node.attrs.start;
  if (startText === undefined) {
    throw networkError(ErrorCode.XML_ERROR, `Missing 'start' attribute in dhcp range for network '${def.name}'`);
  }
  const endText = node.attrs.end;
  if (endText === undefined) {
    throw networkError(ErrorCode.XML_ERROR, `Missing 'end' attribute in dhcp range for network '${def.name}'`);
  }
  const start = parseIp(startText);
  const end = parseIp(endText);
  const bad = !start ? startText : !end ? endText : undefined;
  if (bad !== undefined) throw networkError(ErrorCode.INTERNAL_ERROR, `Cannot parse address '${bad}'`);
  const address = parseIp(ip.address)!;
  if (start!.family !== address.family) {
    // libvirt's range check against the <ip> words it so (before its own family check could).
    throw networkError(
      ErrorCode.INTERNAL_ERROR,
      `mismatch of address family in range ${start!.text} - ${end!.text} for network ${address.text}`,
    );
  }
  checkRange(start!, end!, address, ipPrefix(ip));
  const range: DhcpRange = { start: start!.text, end: end!.text };
  const dhcp = dhcpOf(ip);
  const i = dhcp.ranges.findIndex((r) => sameIp(r.start, range.start) && sameIp(r.end, range.end));
  if (command === 'delete') {
    if (i < 0) throw invalid(`couldn't locate a matching dhcp range entry in network '${def.name}'`);
    dhcp.ranges.splice(i, 1);
  } else {
    if (i >= 0) {
      throw invalid(
        `there is an existing dhcp range entry in network '${def.name}' that matches "<range start='${startText}' end='${endText}'/>"`,
      );
    }
    insert(dhcp.ranges, range, command);
  }
}
