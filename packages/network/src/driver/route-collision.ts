/**
 * libvirt's check before it creates a bridge: an IPv4 subnet of the network (or of a static
 * route) that the host already routes somewhere means another network (or interface) owns it.
 */
import type { NetworkDef } from '@tsvirt/core';
import { ipPrefix, isIpv6, mustParseIp, networkCidr } from '../addr/subnet.js';
import { internalError } from '../errors.js';
import type { Host } from './host.js';

interface KernelRoute {
  iface: string;
  /** "192.168.122.0/24" */
  cidr: string;
}

/** /proc/net/route prints addresses as the kernel stores them: little-endian hex. */
function fromProcHex(hex: string): number[] {
  const v = Number.parseInt(hex, 16);
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
}

function maskPrefix(octets: number[]): number {
  return octets.reduce((n, o) => n + o.toString(2).replace(/0/g, '').length, 0);
}

export function parseProcNetRoute(text: string): KernelRoute[] {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith('Iface')) return [];
  const routes: KernelRoute[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const dest = fromProcHex(f[1]!);
    const mask = fromProcHex(f[7]!);
    const prefix = maskPrefix(mask);
    routes.push({ iface: f[0]!, cidr: networkCidr(dest.map((o, i) => o & mask[i]!).join('.'), prefix) });
  }
  return routes;
}

export async function checkRouteCollision(def: NetworkDef, host: Host): Promise<void> {
  let table: string;
  try {
    table = await host.run(['cat', '/proc/net/route']);
  } catch {
    return; // as libvirt: no routing table to read, nothing to check
  }
  const routes = parseProcNetRoute(table);
  for (const ip of def.ips) {
    if (isIpv6(ip)) continue;
    const prefix = ipPrefix(ip);
    if (prefix === undefined) continue;
    const mine = networkCidr(ip.address, prefix);
    const hit = routes.find((r) => r.cidr === mine);
    if (hit) throw internalError(`Network is already in use by interface ${hit.iface}`);
  }
  for (const r of def.routes) {
    if (mustParseIp(r.address).family !== 4) continue;
    const prefix = r.prefix ?? (r.netmask ? maskPrefix(r.netmask.split('.').map(Number)) : 32);
    const cidr = networkCidr(r.address, prefix);
    const hit = routes.find((k) => k.cidr === cidr);
    if (hit) {
      throw internalError(`Route address '${cidr.split('/')[0]}' conflicts with IP address for '${hit.iface}'`);
    }
  }
}
