/**
 * The dhcp-hostsfile: one static DHCP host a line, in dnsmasq's --dhcp-host syntax.
 * IPv4: MAC,IP,NAME (or NAME,IP or MAC,IP); IPv6: id:DUID,NAME,[IP] (either part may be absent).
 */
import type { NetworkIp } from '@tsvirt/core';
import { isIpv6 } from '../addr/subnet.js';
import type { DhcpHost } from '../model.js';
import { dnsmasqLeaseTime } from './lease-time.js';

function hostLine(host: DhcpHost, ipv6: boolean): string {
  const ip = host.ip ?? '';
  let line: string;
  if (ipv6) {
    const who = [host.id === undefined ? undefined : `id:${host.id}`, host.name].filter((p) => p !== undefined);
    line = `${who.join(',')},[${ip}]`;
  } else if (host.name !== undefined && host.mac !== undefined) {
    line = `${host.mac},${ip},${host.name}`;
  } else if (host.name !== undefined) {
    line = `${host.name},${ip}`;
  } else {
    line = `${host.mac},${ip}`;
  }
  const lease = dnsmasqLeaseTime(host.lease);
  return lease === undefined ? line : `${line},${lease}`;
}

/** Lines for the static hosts of the given DHCP-serving <ip> elements, in order. */
export function dhcpHostLines(dhcpIps: readonly NetworkIp[]): string[] {
  const lines: string[] = [];
  for (const ip of dhcpIps) {
    for (const host of ip.dhcp?.hosts ?? []) if (host.ip !== undefined) lines.push(hostLine(host, isIpv6(ip)));
  }
  return lines;
}

export function formatHostsfile(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}
