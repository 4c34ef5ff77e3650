/** The DHCP half of the dnsmasq config: which <ip> serves DHCP, its ranges, boot and TFTP options. */
import { ErrorCode, type NetworkDef, type NetworkIp } from '@tsvirt/core';
import { ipPrefix, ipv4Netmask, isIpv6, rangeSize } from '../addr/subnet.js';
import { internalError, networkError } from '../errors.js';
import { servesDhcp } from '../model.js';
import { dnsmasqLeaseTime } from './lease-time.js';

export interface DhcpSelection {
  /** The IPv4 <ip> that serves DHCP, if any. */
  readonly ipv4?: NetworkIp;
  /** The IPv6 <ip> that serves DHCPv6, if any. */
  readonly ipv6?: NetworkIp;
  /** Some IPv6 <ip> has no DHCP (stateless autoconfiguration only). */
  readonly ipv6Slaac: boolean;
}

/** dnsmasq serves DHCP on one address per family; a second one is refused as libvirt does. */
export function selectDhcpIps(def: NetworkDef): DhcpSelection {
  let ipv4: NetworkIp | undefined;
  let ipv6: NetworkIp | undefined;
  let ipv6Slaac = false;
  for (const ip of def.ips) {
    const v6 = isIpv6(ip);
    if (!servesDhcp(ip)) {
      if (v6) ipv6Slaac = true;
      continue;
    }
    if (v6 ? ipv6 : ipv4) {
      throw networkError(
        ErrorCode.CONFIG_UNSUPPORTED,
        `For ${v6 ? 'IPv6' : 'IPv4'}, multiple DHCP definitions cannot be specified.`,
      );
    }
    if (v6) ipv6 = ip;
    else ipv4 = ip;
  }
  return { ipv4, ipv6, ipv6Slaac };
}

/** enable-tftp (once) and tftp-root= for every IPv4 <ip> with a <tftp root>. */
export function tftpLines(def: NetworkDef): string[] {
  const roots = def.ips.filter((ip) => !isIpv6(ip) && ip.tftpRoot !== undefined).map((ip) => ip.tftpRoot!);
  return roots.length === 0 ? [] : ['enable-tftp', ...roots.map((r) => `tftp-root=${r}`)];
}

/** The dhcp-range/boot lines of one DHCP-serving <ip>, and how many leases its ranges hold. */
export function dhcpLines(ip: NetworkIp, bridge: string | undefined): { lines: string[]; leases: number } {
  const prefix = ipPrefix(ip);
  if (prefix === undefined) throw internalError(`bridge '${bridge ?? ''}' has an invalid prefix`);
  const v6 = isIpv6(ip);
  const dhcp = ip.dhcp ?? { ranges: [], hosts: [] };
  const lines: string[] = [];
  let leases = 0;
  for (const range of dhcp.ranges) {
    // dnsmasq takes a prefix length for IPv6 but a netmask for IPv4.
    const size = v6 ? String(prefix) : ipv4Netmask(prefix);
    const lease = dnsmasqLeaseTime(range.lease);
    lines.push(`dhcp-range=${range.start},${range.end},${size}${lease === undefined ? '' : `,${lease}`}`);
    leases += rangeSize(range.start, range.end);
  }
  // Static hosts only: dnsmasq still needs a (static) range to switch DHCP on.
  if (dhcp.ranges.length === 0 && dhcp.hosts.length > 0) {
    lines.push(`dhcp-range=${ip.address},static${v6 ? `,${prefix}` : ''}`);
  }
  if (!v6) {
    if (dhcp.ranges.length > 0 || dhcp.hosts.length > 0) lines.push('dhcp-no-override', 'dhcp-authoritative');
    if (dhcp.bootp) {
      const server = dhcp.bootp.server === undefined ? '' : `,,${dhcp.bootp.server}`;
      lines.push(`dhcp-boot=${dhcp.bootp.file}${server}`);
    }
  }
  return { lines, leases };
}
