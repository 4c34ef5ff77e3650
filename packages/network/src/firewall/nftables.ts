/** The nftables backend (libvirt's default): the network's rules as nft argument vectors. */
import type { NetworkDef } from '@tsvirt/core';
import { dhcpChecksumFix } from './dhcp-checksum.js';
import { NFT_CHAIN, NFT_TABLE, nftablesChainSetup, nftFamily } from './nftables-chains.js';
import { type NetworkRule, networkRules } from './rules.js';
import type { FirewallStep, FirewallTransaction } from './types.js';

const opt = (key: string, value: string | undefined): string[] => (value ? [key, value] : []);

/** [chain, match and verdict words] of one rule; undefined for rules this backend leaves out. */
// biome-ignore format: argument vectors read best laid out like command lines
function ruleWords(rule: NetworkRule): [string, string[]] | undefined {
  const fam = nftFamily(rule.family);
  switch (rule.kind) {
    // libvirt's table accepts by default, so the host's own services need no rules here.
    case 'hostInput':
    case 'hostOutput':
      return undefined;
    case 'rejectOut':
      return [NFT_CHAIN.output, ['iif', rule.bridge, 'counter', 'reject']];
    case 'rejectIn':
      return [NFT_CHAIN.input, ['oif', rule.bridge, 'counter', 'reject']];
    case 'allowCross':
      return [NFT_CHAIN.cross, ['iif', rule.bridge, 'oif', rule.bridge, 'counter', 'accept']];
    case 'allowOut':
      return [NFT_CHAIN.output, [fam, 'saddr', rule.network, 'iif', rule.bridge, ...opt('oif', rule.physdev), 'counter', 'accept']];
    case 'allowRelatedIn':
      return [NFT_CHAIN.input, [...opt('iif', rule.physdev), 'oif', rule.bridge, fam, 'daddr', rule.network,
        'ct', 'state', 'related,established', 'counter', 'accept']];
    case 'allowIn':
      return [NFT_CHAIN.input, [fam, 'daddr', rule.network, ...opt('iif', rule.physdev), 'oif', rule.bridge, 'counter', 'accept']];
    case 'masquerade': {
      const words = [...(rule.protocol ? ['meta', 'l4proto', rule.protocol] : []),
        fam, 'saddr', rule.network, fam, 'daddr', '!=', rule.network, ...opt('oif', rule.physdev), 'counter'];
      const ports = rule.toPorts ? `:${rule.toPorts.start}-${rule.toPorts.end}` : '';
      if (rule.toAddress) {
        const range = rule.toAddress.end ? `${rule.toAddress.start}-${rule.toAddress.end}` : rule.toAddress.start;
        return [NFT_CHAIN.nat, [...words, 'snat', 'to', `${range}${ports}`]];
      }
      return [NFT_CHAIN.nat, [...words, 'masquerade', ...(ports ? ['to', ports] : [])]];
    }
    case 'dontMasquerade':
      return [NFT_CHAIN.nat, [...opt('oif', rule.physdev), fam, 'saddr', rule.network, fam, 'daddr', rule.destination,
        'counter', 'return']];
  }
}

/** Rules are inserted with -ae so nft echoes the new rule's handle, which is how it is deleted. */
function insertStep(rule: NetworkRule): FirewallStep | undefined {
  const words = ruleWords(rule);
  if (!words) return undefined;
  const [chain, match] = words;
  const fam = nftFamily(rule.family);
  return {
    argv: ['nft', '-ae', 'insert', 'rule', fam, NFT_TABLE, chain, ...match],
    undo: (output) => {
      const handle = /# handle (\d+)/.exec(output)?.[1];
      return handle ? ['nft', 'delete', 'rule', fam, NFT_TABLE, chain, 'handle', handle] : undefined;
    },
  };
}

/** Chain setup (both families), the DHCP checksum fix (tc), then the network's rules. */
export function nftablesTransactions(def: NetworkDef): FirewallTransaction[] {
  const rules = networkRules(def)
    .map(insertStep)
    .filter((s) => s !== undefined);
  if (rules.length === 0) return [];
  return [nftablesChainSetup('ipv4'), nftablesChainSetup('ipv6'), dhcpChecksumFix(def), rules];
}
