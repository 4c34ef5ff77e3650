/**
 * nftables cannot fill in UDP checksums, so with that backend libvirt has tc do it for DHCP
 * replies (port 68) leaving on the bridge: an htb root qdisc (unless the bridge has one, say
 * for bandwidth limits) and a u32 filter with the csum action. Kernels without the csum
 * action refuse the filter; like the iptables CHECKSUM rule, that does not stop the network.
 */
import type { NetworkDef } from '@tsvirt/core';
import { isIpv6 } from '../addr/subnet.js';
import type { FirewallStep, FirewallTransaction } from './types.js';

// biome-ignore format: argument vectors read best laid out like command lines
export function dhcpChecksumFix(def: NetworkDef): FirewallTransaction {
  const bridge = def.bridge?.name;
  if (!bridge || !def.ips.some((ip) => !isIpv6(ip))) return [];
  const filter: FirewallStep = {
    argv: ['tc', 'filter', 'add', 'dev', bridge, 'prio', '2', 'protocol', 'ip', 'parent', '1:',
      'u32', 'match', 'ip', 'dport', '68', 'ffff', 'action', 'csum', 'ip', 'and', 'udp'],
    ignoreErrors: true,
    undo: () => ['tc', 'filter', 'del', 'dev', bridge, 'prio', '2', 'protocol', 'ip', 'parent', '1:'],
  };
  const addRoot: FirewallStep = {
    argv: ['tc', 'qdisc', 'add', 'dev', bridge, 'root', 'handle', '1:', 'htb', 'default', '2'],
    ignoreErrors: true,
    undo: () => ['tc', 'qdisc', 'del', 'dev', bridge, 'root', 'handle', '1:'],
  };
  return [
    {
      argv: ['tc', 'qdisc', 'show', 'dev', bridge, 'handle', '1:'],
      next: (output) => (output.trim() === '' ? [addRoot, filter] : [filter]),
    },
  ];
}
