/**
 * libvirt's own nftables tables (ip/ip6 libvirt_network) and chains: a filter chain hooked into
 * forward that jumps to guest_output, guest_input and guest_cross, and a NAT chain hooked into
 * postrouting. What exists is read from `nft list table`, so only what is missing is added.
 */
import type { FirewallStep, FirewallTransaction, IpFamily } from './types.js';

export const NFT_TABLE = 'libvirt_network';
export const NFT_CHAIN = {
  forward: 'forward',
  output: 'guest_output',
  input: 'guest_input',
  cross: 'guest_cross',
  nat: 'guest_nat',
} as const;

const CHAINS: ReadonlyArray<{ parent?: string; child: string; spec?: string }> = [
  { child: NFT_CHAIN.forward, spec: '{ type filter hook forward priority 0; policy accept; }' },
  { parent: NFT_CHAIN.forward, child: NFT_CHAIN.output },
  { parent: NFT_CHAIN.forward, child: NFT_CHAIN.input },
  { parent: NFT_CHAIN.forward, child: NFT_CHAIN.cross },
  { child: NFT_CHAIN.nat, spec: '{ type nat hook postrouting priority 100; policy accept; }' },
];

/** nft's name for the family's table class. */
export function nftFamily(family: IpFamily): 'ip' | 'ip6' {
  return family === 'ipv4' ? 'ip' : 'ip6';
}

function missingSteps(family: IpFamily, listing: string): FirewallStep[] {
  const fam = nftFamily(family);
  let haveTable = false;
  const chains = new Set<string>();
  const jumpedFrom = new Map<string, string>();
  let current: string | undefined;
  for (const raw of listing.split('\n')) {
    const line = raw.trim();
    if (line === `table ${fam} ${NFT_TABLE} {`) haveTable = true;
    else if (line.startsWith('chain ')) {
      current = line.slice(6).split(' ')[0];
      if (current) chains.add(current);
    } else {
      const jump = / jump (\S+)/.exec(line);
      if (jump && current) jumpedFrom.set(jump[1]!, current);
    }
  }
  const steps: FirewallStep[] = [];
  if (!haveTable) steps.push({ argv: ['nft', 'add', 'table', fam, NFT_TABLE] });
  for (const { parent, child, spec } of CHAINS) {
    if (!(haveTable && chains.has(child))) {
      steps.push({ argv: ['nft', 'add', 'chain', fam, NFT_TABLE, child, ...(spec ? [spec] : [])] });
    }
    if (parent && jumpedFrom.get(child) !== parent) {
      steps.push({ argv: ['nft', 'insert', 'rule', fam, NFT_TABLE, parent, 'counter', 'jump', child] });
    }
  }
  return steps;
}

export function nftablesChainSetup(family: IpFamily): FirewallTransaction {
  // Listing a table that does not exist yet fails: that reads as an empty listing.
  return [
    {
      argv: ['nft', 'list', 'table', nftFamily(family), NFT_TABLE],
      ignoreErrors: true,
      next: (listing) => missingSteps(family, listing),
    },
  ];
}
