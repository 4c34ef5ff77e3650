/** IP and MAC address values in network XML: parsed strictly, written in canonical form. */
import { isIPv4, isIPv6 } from 'node:net';
import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';

export interface IpAddr {
  family: 4 | 6;
  /** The address as an integer, for range and subnet checks. */
  value: bigint;
  /** Canonical text (what inet_ntop would print). */
  text: string;
}

export function parseIp(text: string | undefined): IpAddr | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  if (isIPv4(s)) {
    const value = s.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    return { family: 4, value, text: formatIpv4(value) };
  }
  if (isIPv6(s)) {
    // The WHATWG URL parser canonicalises IPv6 (lower case, longest zero run compressed).
    const canonical = new URL(`http://[${s}]/`).hostname.slice(1, -1);
    return { family: 6, value: ipv6Value(canonical), text: canonical };
  }
  return undefined;
}

function formatIpv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

function ipv6Value(canonical: string): bigint {
  const [head = '', tail] = canonical.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Number of leading one bits of a netmask, or undefined when it is not contiguous. */
export function netmaskPrefix(mask: IpAddr): number | undefined {
  const bits = mask.family === 4 ? 32 : 128;
  const s = mask.value.toString(2).padStart(bits, '0');
  const ones = s.indexOf('0') === -1 ? bits : s.indexOf('0');
  return s.slice(ones).includes('1') ? undefined : ones;
}

/** libvirt's implicit prefix: classful for IPv4 when neither prefix nor netmask is given, 64 for IPv6. */
export function effectivePrefix(address: IpAddr, netmask?: IpAddr, prefix?: number): number | undefined {
  if (prefix !== undefined && prefix > 0) return prefix;
  if (netmask) return netmaskPrefix(netmask);
  if (address.family === 6) return 64;
  const octet = Number(address.value >> 24n);
  if ((octet & 0x80) === 0) return 8;
  if ((octet & 0xc0) === 0x80) return 16;
  if ((octet & 0xe0) === 0xc0) return 24;
  return undefined;
}

export function sameSubnet(a: IpAddr, b: IpAddr, prefix: number): boolean {
  if (a.family !== b.family) return false;
  const bits = BigInt(a.family === 4 ? 32 : 128);
  const shift = bits - BigInt(prefix);
  return a.value >> shift === b.value >> shift;
}

const MAC_RE =
  /^([0-9a-fA-F]{1,2})([:-])([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})$/;

/** A MAC address in libvirt's canonical form (lower case, two digits, colons), or undefined. */
export function normalizeMac(text: string): string | undefined {
  const m = MAC_RE.exec(text.trim());
  if (!m) return undefined;
  return [m[1], m[3], m[4], m[5], m[6], m[7]].map((o) => o!.toLowerCase().padStart(2, '0')).join(':');
}

export function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/**
 * libvirt's sanity check of an address range (internal errors, worded as libvirt words them):
 * same family, not reversed, and inside the network when one is given.
 */
export function checkRange(start: IpAddr, end: IpAddr, network?: IpAddr, prefix?: number): void {
  const range = `${start.text} - ${end.text}`;
  if (start.family !== end.family) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NETWORK,
      detail: `mismatch of address family in range ${range}`,
    });
  }
  if (network && prefix !== undefined && (!sameSubnet(start, network, prefix) || !sameSubnet(end, network, prefix))) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NETWORK,
      detail: `range ${range} is not entirely within network ${network.text}/${prefix}`,
    });
  }
  if (start.value > end.value) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NETWORK,
      detail: `range ${range} is reversed `,
    });
  }
}
