/** The iptables backend: libvirt's rules as iptables/ip6tables argument vectors. */
import type { NetworkDef } from '@tsvirt/core';
import { IPT_CHAIN, iptablesChainSetup, iptablesCommand } from './iptables-chains.js';
import { dhcpIpv4, type NetworkRule, networkRules } from './rules.js';
import type { Argv, FirewallStep, FirewallTransaction } from './types.js';

const opt = (flag: string, value: string | undefined): string[] => (value ? [flag, value] : []);

// biome-ignore format: argument vectors read best laid out like command lines
function ruleArgs(rule: NetworkRule): string[] {
  switch (rule.kind) {
    case 'hostInput':
    case 'hostOutput': {
      const input = rule.kind === 'hostInput';
      return [
        '--table', 'filter', '--insert', input ? IPT_CHAIN.input : IPT_CHAIN.output,
        input ? '--in-interface' : '--out-interface', rule.bridge,
        '--protocol', rule.protocol, '--destination-port', String(rule.port), '--jump', 'ACCEPT',
      ];
    }
    case 'rejectOut':
      return ['--table', 'filter', '--insert', IPT_CHAIN.forwardOut, '--in-interface', rule.bridge, '--jump', 'REJECT'];
    case 'rejectIn':
      return ['--table', 'filter', '--insert', IPT_CHAIN.forwardIn, '--out-interface', rule.bridge, '--jump', 'REJECT'];
    case 'allowCross':
      return [
        '--table', 'filter', '--insert', IPT_CHAIN.forwardCross,
        '--in-interface', rule.bridge, '--out-interface', rule.bridge, '--jump', 'ACCEPT',
      ];
    case 'allowOut':
      return [
        '--table', 'filter', '--insert', IPT_CHAIN.forwardOut, '--source', rule.network,
        '--in-interface', rule.bridge, ...opt('--out-interface', rule.physdev), '--jump', 'ACCEPT',
      ];
    case 'allowRelatedIn':
    case 'allowIn':
      return [
        '--table', 'filter', '--insert', IPT_CHAIN.forwardIn, '--destination', rule.network,
        ...opt('--in-interface', rule.physdev), '--out-interface', rule.bridge,
        ...(rule.kind === 'allowRelatedIn' ? ['--match', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED'] : []),
        '--jump', 'ACCEPT',
      ];
    case 'masquerade': {
      const args = [
        '--table', 'nat', '--insert', IPT_CHAIN.postrouting, '--source', rule.network,
        ...opt('-p', rule.protocol), '!', '--destination', rule.network, ...opt('--out-interface', rule.physdev),
      ];
      const ports = rule.toPorts ? `${rule.toPorts.start}-${rule.toPorts.end}` : undefined;
      if (rule.toAddress) {
        const range = rule.toAddress.end ? `${rule.toAddress.start}-${rule.toAddress.end}` : rule.toAddress.start;
        return [...args, '--jump', 'SNAT', '--to-source', ports ? `${range}:${ports}` : range];
      }
      return [...args, '--jump', 'MASQUERADE', ...opt('--to-ports', ports)];
    }
    case 'dontMasquerade':
      return [
        '--table', 'nat', '--insert', IPT_CHAIN.postrouting, ...opt('--out-interface', rule.physdev),
        '--source', rule.network, '--destination', rule.destination, '--jump', 'RETURN',
      ];
  }
}

/** An inserted rule is removed by the same arguments with --delete. */
function insertStep(argv: Argv, ignoreErrors = false): FirewallStep {
  const undo = argv.map((a) => (a === '--insert' ? '--delete' : a));
  return { argv, undo: () => undo, ...(ignoreErrors ? { ignoreErrors } : {}) };
}

/** DHCP replies generated on the host carry no checksum; fill it in (not every kernel can). */
// biome-ignore format: argument vectors read best laid out like command lines
function checksumFix(def: NetworkDef): FirewallStep[] {
  if (!dhcpIpv4(def)) return [];
  const argv = [
    'iptables', '-w', '--table', 'mangle', '--insert', IPT_CHAIN.postrouting, '--out-interface', def.bridge?.name ?? '',
    '--protocol', 'udp', '--destination-port', '68', '--jump', 'CHECKSUM', '--checksum-fill',
  ];
  return [insertStep(argv, true)];
}

/** Chain setup (both families), the network's rules, then the optional checksum fix. */
export function iptablesTransactions(def: NetworkDef): FirewallTransaction[] {
  const rules = networkRules(def).map((r) => insertStep([iptablesCommand(r.family), '-w', ...ruleArgs(r)]));
  if (rules.length === 0) return [];
  return [iptablesChainSetup('ipv4'), iptablesChainSetup('ipv6'), rules, checksumFix(def)];
}
