/** The addn-hosts file: the <dns><host> records, one address a line with its names, tab separated. */
import type { NetworkDns } from '@tsvirt/core';

export function formatAddnHosts(dns: NetworkDns | undefined): string {
  // Names given for the same address in several <host> elements end up on one line.
  const byIp = new Map<string, string[]>();
  for (const host of dns?.hosts ?? []) {
    const names = byIp.get(host.ip) ?? [];
    names.push(...host.hostnames);
    byIp.set(host.ip, names);
  }
  let out = '';
  for (const [ip, names] of byIp) out += `${ip}\t${names.map((n) => `${n}\t`).join('')}\n`;
  return out;
}
