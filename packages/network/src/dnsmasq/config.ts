/**
 * A network's dnsmasq configuration, as libvirt's network driver writes it: the config file,
 * the dhcp-hostsfile and the addn-hosts file, from the network definition and the file paths.
 */
import type { NetworkDef } from '@tsvirt/core';
import { isIpv6 } from '../addr/subnet.js';
import { servesDhcp } from '../model.js';
import { formatAddnHosts } from './addnhosts.js';
import { dhcpLines, selectDhcpIps, tftpLines } from './dhcp-options.js';
import { forwarderLines, localPtrLines, recordLines } from './dns-options.js';
import { dhcpHostLines, formatHostsfile } from './hostsfile.js';
import { addnhostsPath, type DnsmasqPaths, hostsfilePath } from './paths.js';

export interface DnsmasqFiles {
  readonly config: string;
  readonly hostsfile: string;
  readonly addnhosts: string;
}

function header(name: string): string[] {
  return [
    '##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE',
    '##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:',
    `##    virsh net-edit ${name}`,
    '## or other application using the libvirt API.',
    '##',
    '## dnsmasq conf file created by libvirt',
    // Query upstream servers in resolv.conf order, as glibc does.
    'strict-order',
  ];
}

export function buildDnsmasqConfig(def: NetworkDef, paths: DnsmasqPaths): DnsmasqFiles {
  const dns = def.dns ?? { forwarders: [], txts: [], srvs: [], hosts: [] };
  const wantDns = dns.enable !== false;
  const out = header(def.name);

  // Port 0: dnsmasq serves DHCP only.
  if (!wantDns) out.push('port=0');
  if (wantDns) out.push(...forwarderLines(dns));
  if (def.domain) {
    if (def.domain.localOnly === true) out.push(`local=/${def.domain.name}/`);
    out.push(`domain=${def.domain.name}`, 'expand-hosts');
  }
  if (wantDns) out.push(...localPtrLines(def));
  if (wantDns && dns.forwardPlainNames === false) out.push('domain-needed', 'local=//');
  if (paths.pidFile !== undefined) out.push(`pid-file=${paths.pidFile}`);
  // Listen only on the bridge (bind-dynamic + interface, the CVE-2012-3411 fix), never on lo.
  out.push('except-interface=lo', 'bind-dynamic', `interface=${def.bridge?.name ?? ''}`);
  if (!def.forward) {
    // Isolated: no default route and no upstream DNS for guests, and RAs that announce no router.
    out.push('dhcp-option=3', 'no-resolv', 'ra-param=*,0,0');
  }
  if (wantDns) out.push(...recordLines(dns));

  const dhcp = selectDhcpIps(def);
  out.push(...tftpLines(def));
  let leases = 0;
  for (const ip of [dhcp.ipv4, dhcp.ipv6]) {
    if (!ip) continue;
    const part = dhcpLines(ip, def.bridge?.name);
    out.push(...part.lines);
    leases += part.leases;
  }
  if (leases > 0) out.push(`dhcp-lease-max=${leases}`);
  // Written even when empty so hosts can be added while the network runs.
  if (dhcp.ipv4 || dhcp.ipv6) out.push(`dhcp-hostsfile=${hostsfilePath(paths.stateDir, def.name)}`);
  if (wantDns) out.push(`addn-hosts=${addnhostsPath(paths.stateDir, def.name)}`);
  if (def.mtu) out.push(`dhcp-option=option:mtu,${def.mtu}`);
  if (dhcp.ipv6) {
    out.push('enable-ra');
  } else {
    for (const ip of def.ips) if (isIpv6(ip) && !servesDhcp(ip)) out.push(`dhcp-range=${ip.address},ra-only`);
  }
  out.push(...(def.dnsmasqOptions ?? []));

  const hosts = dhcpHostLines([dhcp.ipv4, dhcp.ipv6].filter((ip) => ip !== undefined));
  return {
    config: out.map((l) => `${l}\n`).join(''),
    hostsfile: formatHostsfile(hosts),
    addnhosts: formatAddnHosts(wantDns ? dns : undefined),
  };
}
