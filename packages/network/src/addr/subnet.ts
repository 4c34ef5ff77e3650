/** Subnet arithmetic on the network's <ip> elements, built on core's address parser. */
import { effectivePrefix, type IpAddr, type NetworkIp, parseIp } from '@tsvirt/core';

export function mustParseIp(text: string): IpAddr {
  const ip = parseIp(text);
  // Core's parser has already validated every address in a NetworkDef.
  if (!ip) throw new Error(`not an IP address: '${text}'`);
  return ip;
}

export function isIpv6(ip: NetworkIp): boolean {
  return mustParseIp(ip.address).family === 6;
}

/** libvirt's virNetworkIPDefPrefix: explicit prefix, else netmask, else classful (IPv4) or 64 (IPv6). */
export function ipPrefix(ip: NetworkIp): number | undefined {
  const netmask = ip.netmask === undefined ? undefined : parseIp(ip.netmask);
  return effectivePrefix(mustParseIp(ip.address), netmask, ip.prefix);
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function maskValue(family: 4 | 6, prefix: number): bigint {
  const total = BigInt(bits(family));
  return ((1n << BigInt(prefix)) - 1n) << (total - BigInt(prefix));
}

/** The address with value `v` in canonical text. */
export function formatAddress(family: 4 | 6, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((v >> s) & 0xffffn).toString(16));
  return mustParseIp(groups.join(':')).text;
}

/** "192.168.122.0/24": the network an address belongs to, as firewall rules name it. */
export function networkCidr(address: string, prefix: number): string {
  const a = mustParseIp(address);
  return `${formatAddress(a.family, a.value & maskValue(a.family, prefix))}/${prefix}`;
}

export function ipv4Netmask(prefix: number): string {
  return formatAddress(4, maskValue(4, prefix));
}

/** Number of addresses from start to end inclusive. */
export function rangeSize(start: string, end: string): number {
  return Number(mustParseIp(end).value - mustParseIp(start).value + 1n);
}

/**
 * The reverse-lookup zone of a subnet ("122.168.192.in-addr.arpa"), or undefined when the prefix
 * does not fall on an octet (IPv4) or nibble (IPv6) boundary.
 */
export function ptrDomain(address: string, prefix: number): string | undefined {
  const a = mustParseIp(address);
  const step = a.family === 4 ? 8 : 4;
  if (prefix % step !== 0 || prefix === 0) return undefined;
  const labels: string[] = [];
  for (let i = 0; i < prefix / step; i++) {
    const shift = BigInt(bits(a.family) - (i + 1) * step);
    const part = (a.value >> shift) & ((1n << BigInt(step)) - 1n);
    labels.unshift(a.family === 4 ? String(part) : part.toString(16));
  }
  return `${labels.join('.')}.${a.family === 4 ? 'in-addr.arpa' : 'ip6.arpa'}`;
}
