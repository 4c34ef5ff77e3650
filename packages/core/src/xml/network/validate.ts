/**
 * Checks beyond parsing. checkRouteGateways runs at parse time (as in libvirt's parser);
 * validateNetworkDef is what libvirt's network driver checks before defining a network.
 */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { xmlError } from '../common/errors.js';
import { effectivePrefix, parseIp, sameSubnet } from './addresses.js';
import type { NetworkDef } from './types.js';

const D = ErrorDomain.NETWORK;
const CU = ErrorCode.CONFIG_UNSUPPORTED;

/** Every static route's gateway must be directly reachable on one of the network's addresses. */
export function checkRouteGateways(def: NetworkDef): void {
  for (const r of def.routes) {
    const gw = parseIp(r.gateway)!;
    const reachable = def.ips.some((ip) => {
      const addr = parseIp(ip.address)!;
      if (addr.family !== gw.family) return false;
      const prefix = effectivePrefix(addr, ip.netmask ? parseIp(ip.netmask) : undefined, ip.prefix);
      return prefix !== undefined && sameSubnet(addr, gw, prefix);
    });
    if (!reachable) {
      throw xmlError(D, `unreachable static route gateway '${r.gateway}' specified for network '${def.name}'`, CU);
    }
  }
}

/** The network driver's validation of a parsed definition; throws VirError on the first problem. */
export function validateNetworkDef(def: NetworkDef): void {
  const mode = def.forward?.mode;
  const ownBridge = mode === undefined || mode === 'nat' || mode === 'route' || mode === 'open';
  const modeName = mode ?? 'none';

  if (ownBridge) {
    if (def.virtualPort) {
      throw xmlError(
        D,
        `<virtualport type='${def.virtualPort.type ?? ''}'> element unsupported for <network> with forward mode='${modeName}'`,
        CU,
      );
    }
    for (const pg of def.portGroups) {
      if (pg.virtualPort) {
        throw xmlError(D, `<virtualport> element unsupported for <network> with forward mode='${modeName}'`, CU);
      }
    }
  } else {
    if (def.ips.length > 0) {
      throw xmlError(D, `Unsupported <ip> element in network ${def.name} with forward mode='${modeName}'`, CU);
    }
    if (def.dns && (def.dns.forwarders.length || def.dns.hosts.length || def.dns.srvs.length || def.dns.txts.length)) {
      throw xmlError(D, `Unsupported <dns> element in network ${def.name} with forward mode='${modeName}'`, CU);
    }
    if (def.domain)
      throw xmlError(D, `Unsupported <domain> element in network ${def.name} with forward mode='${modeName}'`, CU);
    if (mode === 'bridge' && def.bandwidth) {
      // bandwidth on a host bridge is applied per guest interface, not to the bridge
    }
  }

  const fwd = def.forward;
  if (fwd) {
    if (mode === 'hostdev' && fwd.interfaces.length > 0) {
      throw xmlError(
        D,
        `hostdev network '${def.name}' lists '${fwd.interfaces[0]!.dev}' in the device pool, but hostdev networks require all devices to be listed by PCI address, not network device name`,
        CU,
      );
    }
    if (mode !== 'hostdev' && fwd.addresses.length > 0) {
      throw xmlError(
        D,
        `network '${def.name}' has forward mode '${modeName}'  but lists a device by PCI address in the device pool. This is only supported for networks with forward mode 'hostdev'`,
        CU,
      );
    }
    if (fwd.pf !== undefined && (mode === 'nat' || mode === 'route' || mode === 'open')) {
      throw xmlError(D, `<pf> element unsupported for network '${def.name}' with forward mode='${modeName}'`, CU);
    }
  }

  // dnsmasq serves DHCP on at most one IPv4 and one IPv6 address.
  let v4dhcp = false;
  let v6dhcp = false;
  for (const ip of def.ips) {
    const hasDhcp = !!ip.dhcp && (ip.dhcp.ranges.length > 0 || ip.dhcp.hosts.length > 0);
    if (!hasDhcp) continue;
    const v6 = parseIp(ip.address)!.family === 6;
    if (v6 ? v6dhcp : v4dhcp) {
      const fam = v6 ? 'IPv6' : 'IPv4';
      throw xmlError(
        D,
        `Multiple ${fam} dhcp sections found -- dhcp is supported only for a single ${fam} address on each network`,
        CU,
      );
    }
    if (v6) v6dhcp = true;
    else v4dhcp = true;
  }
}
