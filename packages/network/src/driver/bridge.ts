/** The bridge device of a network: create, configure, address, route, take down, delete. */
import type { NetworkDef, NetworkIp } from '@tsvirt/core';
import { ipPrefix, isIpv6, mustParseIp, networkCidr } from '../addr/subnet.js';
import { internalError } from '../errors.js';
import type { Host } from './host.js';

export async function createBridge(host: Host, def: NetworkDef, bridge: string): Promise<void> {
  if (await host.linkExists(bridge)) throw internalError(`Unable to create bridge ${bridge}: File exists`);
  await host.run(['ip', 'link', 'add', 'name', bridge, ...(def.mac ? ['address', def.mac] : []), 'type', 'bridge']);
}

export async function configureBridge(host: Host, def: NetworkDef, bridge: string): Promise<void> {
  if (def.mtu) await host.run(['ip', 'link', 'set', 'dev', bridge, 'mtu', String(def.mtu)]);
  // The delay first: the kernel refuses a short delay once STP is on. ip counts centiseconds.
  const delay = String((def.bridge?.delay ?? 0) * 100);
  await host.run(['ip', 'link', 'set', 'dev', bridge, 'type', 'bridge', 'forward_delay', delay]);
  const stp = def.bridge?.stp === false ? '0' : '1';
  await host.run(['ip', 'link', 'set', 'dev', bridge, 'type', 'bridge', 'stp_state', stp]);
}

/**
 * IPv6 off on a bridge without IPv6 addresses (on otherwise: the default is not known), and
 * never accept router advertisements or autoconfigure: the bridge is the guests' router.
 */
export async function setIpv6Sysctls(host: Host, def: NetworkDef, bridge: string): Promise<void> {
  const hasIpv6 = def.ips.some(isIpv6);
  try {
    await host.setSysctl(`net.ipv6.conf.${bridge}.disable_ipv6`, hasIpv6 ? '0' : '1');
  } catch {
    return; // no IPv6 in this kernel/namespace: nothing more to set
  }
  await host.setSysctl(`net.ipv6.conf.${bridge}.accept_ra`, '0');
  await host.setSysctl(`net.ipv6.conf.${bridge}.autoconf`, '0');
}

function broadcast(ip: NetworkIp, prefix: number): string {
  const [net] = networkCidr(ip.address, prefix).split('/');
  const v = mustParseIp(net!).value | ((1n << BigInt(32 - prefix)) - 1n);
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

export async function addAddress(host: Host, ip: NetworkIp, bridge: string): Promise<void> {
  const prefix = ipPrefix(ip);
  if (prefix === undefined) throw internalError(`bridge '${bridge}' has an invalid netmask or IP address`);
  const v6 = isIpv6(ip);
  await host.run([
    'ip',
    ...(v6 ? ['-6'] : []),
    'addr',
    'add',
    `${ip.address}/${prefix}`,
    ...(v6 ? [] : ['broadcast', broadcast(ip, prefix)]),
    'dev',
    bridge,
  ]);
}

/** Static routes; as in libvirt a route that cannot be added does not fail the start. */
export async function addRoutes(host: Host, def: NetworkDef, bridge: string): Promise<string[]> {
  const failures: string[] = [];
  for (const r of def.routes) {
    const v6 = mustParseIp(r.address).family === 6;
    const prefix = r.prefix ?? (r.netmask ? undefined : v6 ? 128 : 32);
    const dest = prefix === undefined ? `${r.address}/${r.netmask}` : `${r.address}/${prefix}`;
    const argv = ['ip', ...(v6 ? ['-6'] : []), 'route', 'add', dest, 'via', r.gateway, 'dev', bridge];
    if (r.metric !== undefined) argv.push('metric', String(r.metric));
    try {
      await host.run(argv);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  return failures;
}

export async function setLinkUp(host: Host, bridge: string, up: boolean): Promise<void> {
  await host.run(['ip', 'link', 'set', 'dev', bridge, up ? 'up' : 'down']);
}

export async function deleteBridge(host: Host, bridge: string): Promise<void> {
  await host.run(['ip', 'link', 'del', 'dev', bridge]);
}
