/**
 * What a virtual network needs from the firewall, independent of the backend: the same plan
 * libvirt's iptables and nftables backends render, in the order they insert the rules.
 */
import { ErrorCode, type NetworkDef, type NetworkIp } from '@tsvirt/core';
import { ipPrefix, isIpv6, mustParseIp, networkCidr } from '../addr/subnet.js';
import { internalError, networkError } from '../errors.js';
import { servesDhcp } from '../model.js';
import type { IpFamily } from './types.js';

interface OnBridge {
  readonly family: IpFamily;
  readonly bridge: string;
}
interface ForNetwork {
  readonly family: IpFamily;
  /** "192.168.122.0/24" */
  readonly network: string;
  /** The <forward dev>, when traffic may only leave through it. */
  readonly physdev?: string;
}

export type NetworkRule =
  /** Guests may reach the host's DHCP/DNS/TFTP service on the bridge (iptables only). */
  | (OnBridge & { readonly kind: 'hostInput' | 'hostOutput'; readonly protocol: 'tcp' | 'udp'; readonly port: number })
  /** Catch-alls: nothing is forwarded to or from the bridge except what a later rule allows. */
  | (OnBridge & { readonly kind: 'rejectOut' | 'rejectIn' | 'allowCross' })
  | (ForNetwork & { readonly kind: 'allowOut' | 'allowRelatedIn' | 'allowIn'; readonly bridge: string })
  | (ForNetwork & {
      readonly kind: 'masquerade';
      readonly protocol?: 'tcp' | 'udp';
      /** SNAT to these addresses instead of masquerading. */
      readonly toAddress?: { readonly start: string; readonly end?: string };
      /** Source ports to map to (tcp/udp only). */
      readonly toPorts?: { readonly start: number; readonly end: number };
    })
  | (ForNetwork & { readonly kind: 'dontMasquerade'; readonly destination: string });

const LOCAL_BROADCAST = '255.255.255.255/32';
const LOCAL_MULTICAST = { ipv4: '224.0.0.0/24', ipv6: 'ff02::/16' } as const;

function familyOf(ip: NetworkIp): IpFamily {
  return isIpv6(ip) ? 'ipv6' : 'ipv4';
}

function hostPorts(bridge: string, family: IpFamily, ports: Array<['tcp' | 'udp', 'in' | 'out', number]>) {
  return ports.map(
    ([protocol, dir, port]): NetworkRule => ({
      kind: dir === 'in' ? 'hostInput' : 'hostOutput',
      family,
      bridge,
      protocol,
      port,
    }),
  );
}

function generalIpv4(def: NetworkDef, bridge: string): NetworkRule[] {
  const tftp = def.ips.find((ip) => !isIpv6(ip) && (servesDhcp(ip) || ip.tftpRoot !== undefined))?.tftpRoot;
  return [
    ...hostPorts(bridge, 'ipv4', [
      ['tcp', 'in', 67],
      ['udp', 'in', 67],
      ['tcp', 'out', 68],
      ['udp', 'out', 68],
      ['tcp', 'in', 53],
      ['udp', 'in', 53],
      ['tcp', 'out', 53],
      ['udp', 'out', 53],
      ...(tftp !== undefined
        ? ([
            ['udp', 'in', 69],
            ['udp', 'out', 69],
          ] as Array<['udp', 'in' | 'out', number]>)
        : []),
    ]),
    { kind: 'rejectOut', family: 'ipv4', bridge },
    { kind: 'rejectIn', family: 'ipv4', bridge },
    { kind: 'allowCross', family: 'ipv4', bridge },
  ];
}

/** IPv6 rules exist when the network has an IPv6 address or lets guests talk IPv6 (ipv6='yes'). */
function generalIpv6(def: NetworkDef, bridge: string): NetworkRule[] {
  const hasIpv6 = def.ips.some(isIpv6);
  if (!hasIpv6 && !def.ipv6) return [];
  const rules: NetworkRule[] = [
    { kind: 'rejectOut', family: 'ipv6', bridge },
    { kind: 'rejectIn', family: 'ipv6', bridge },
    { kind: 'allowCross', family: 'ipv6', bridge },
  ];
  if (hasIpv6) {
    rules.push(
      ...hostPorts(bridge, 'ipv6', [
        ['tcp', 'in', 53],
        ['udp', 'in', 53],
        ['tcp', 'out', 53],
        ['udp', 'out', 53],
        ['udp', 'in', 547],
        ['udp', 'out', 546],
      ]),
    );
  }
  return rules;
}

function natPorts(def: NetworkDef): { start: number; end: number } {
  const port = def.forward?.nat?.port;
  const start = port?.start || 0;
  const end = port?.end || 0;
  if (start === 0 && end === 0) return { start: 1024, end: 65535 };
  if (start < end && end < 65536) return { start, end };
  throw internalError(`Invalid port range '${start}-${end}'.`);
}

function natAddress(def: NetworkDef, family: IpFamily): { start: string; end?: string } | undefined {
  const addr = def.forward?.nat?.address;
  const want = family === 'ipv4' ? 4 : 6;
  if (!addr || mustParseIp(addr.start).family !== want) return undefined;
  return mustParseIp(addr.end).family === want ? { start: addr.start, end: addr.end } : { start: addr.start };
}

function masquerading(def: NetworkDef, base: ForNetwork, bridge: string): NetworkRule[] {
  const toAddress = natAddress(def, base.family);
  const ports = natPorts(def);
  const masq = (protocol?: 'tcp' | 'udp'): NetworkRule => ({
    kind: 'masquerade',
    ...base,
    ...(protocol ? { protocol, toPorts: ports } : {}),
    ...(toAddress ? { toAddress } : {}),
  });
  // Each rule is inserted at the head of its chain, so the chain ends up in the reverse order:
  // multicast and broadcast exemptions first, then tcp and udp with port mapping, then the rest.
  return [
    { kind: 'allowOut', ...base, bridge },
    { kind: 'allowRelatedIn', ...base, bridge },
    masq(),
    masq('udp'),
    masq('tcp'),
    ...(base.family === 'ipv4' ? [{ kind: 'dontMasquerade', ...base, destination: LOCAL_BROADCAST } as const] : []),
    { kind: 'dontMasquerade', ...base, destination: LOCAL_MULTICAST[base.family] },
  ];
}

function routing(base: ForNetwork, bridge: string): NetworkRule[] {
  return [
    { kind: 'allowOut', ...base, bridge },
    { kind: 'allowIn', ...base, bridge },
  ];
}

function perAddress(def: NetworkDef, ip: NetworkIp, bridge: string): NetworkRule[] {
  const mode = def.forward?.mode;
  if (mode !== 'nat' && mode !== 'route') return [];
  const prefix = ipPrefix(ip);
  if (prefix === undefined) throw internalError(`Invalid prefix or netmask for '${bridge}'`);
  const physdev = def.forward?.interfaces[0]?.dev;
  const base: ForNetwork = {
    family: familyOf(ip),
    network: networkCidr(ip.address, prefix),
    ...(physdev ? { physdev } : {}),
  };
  // IPv6 has no NAT unless asked for (<nat ipv6='yes'>): a NAT network routes its IPv6.
  if (mode === 'nat' && (base.family === 'ipv4' || def.forward?.nat?.ipv6 === true)) {
    return masquerading(def, base, bridge);
  }
  return routing(base, bridge);
}

/** The rules of a network whose bridge libvirt manages (no forward, nat, route); none for 'open'. */
export function networkRules(def: NetworkDef): NetworkRule[] {
  const mode = def.forward?.mode;
  if (mode !== undefined && mode !== 'nat' && mode !== 'route') return [];
  const bridge = def.bridge?.name;
  if (!bridge) throw networkError(ErrorCode.INTERNAL_ERROR, `network '${def.name}' has no bridge name defined`);
  const rules = [...generalIpv4(def, bridge), ...generalIpv6(def, bridge)];
  for (const ip of def.ips) rules.push(...perAddress(def, ip, bridge));
  return rules;
}

/** The IPv4 <ip> DHCP replies leave from, if any (their checksums need fixing up). */
export function dhcpIpv4(def: NetworkDef): NetworkIp | undefined {
  return def.ips.find((ip) => !isIpv6(ip) && servesDhcp(ip));
}
