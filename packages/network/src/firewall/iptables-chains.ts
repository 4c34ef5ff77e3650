/**
 * libvirt's own iptables chains (LIBVIRT_INP, LIBVIRT_OUT, LIBVIRT_FWO/FWI/FWX, LIBVIRT_PRT),
 * created once and jumped to from the built-in chains. What exists is read from
 * `--list-rules`, so only the missing chains and jumps are added.
 */
import type { FirewallStep, FirewallTransaction, IpFamily } from './types.js';

export const IPT_CHAIN = {
  input: 'LIBVIRT_INP',
  output: 'LIBVIRT_OUT',
  forwardOut: 'LIBVIRT_FWO',
  forwardIn: 'LIBVIRT_FWI',
  forwardCross: 'LIBVIRT_FWX',
  postrouting: 'LIBVIRT_PRT',
} as const;

const TABLE_CHAINS: ReadonlyArray<readonly [string, ReadonlyArray<readonly [parent: string, child: string]>]> = [
  [
    'filter',
    [
      ['INPUT', IPT_CHAIN.input],
      ['OUTPUT', IPT_CHAIN.output],
      ['FORWARD', IPT_CHAIN.forwardOut],
      ['FORWARD', IPT_CHAIN.forwardIn],
      ['FORWARD', IPT_CHAIN.forwardCross],
    ],
  ],
  ['nat', [['POSTROUTING', IPT_CHAIN.postrouting]]],
  ['mangle', [['POSTROUTING', IPT_CHAIN.postrouting]]],
];

export function iptablesCommand(family: IpFamily): string {
  return family === 'ipv4' ? 'iptables' : 'ip6tables';
}

function missingChainSteps(
  family: IpFamily,
  table: string,
  chains: ReadonlyArray<readonly [string, string]>,
  listing: string,
): FirewallStep[] {
  const existing = new Set<string>();
  const jumpedFrom = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const newChain = /^-N (\S+)/.exec(line);
    if (newChain) existing.add(newChain[1]!);
    const jump = /^-A (\S+) -j (\S+)/.exec(line);
    if (jump) jumpedFrom.set(jump[2]!, jump[1]!);
  }
  const cmd = iptablesCommand(family);
  const steps: FirewallStep[] = [];
  for (const [parent, child] of chains) {
    if (!existing.has(child)) steps.push({ argv: [cmd, '-w', '--table', table, '--new-chain', child] });
    if (jumpedFrom.get(child) !== parent) {
      steps.push({ argv: [cmd, '-w', '--table', table, '--insert', parent, '--jump', child] });
    }
  }
  return steps;
}

/** One transaction per family: list the three tables, then add what is missing. */
export function iptablesChainSetup(family: IpFamily): FirewallTransaction {
  return TABLE_CHAINS.map(([table, chains]) => ({
    argv: [iptablesCommand(family), '-w', '--table', table, '--list-rules'],
    next: (listing: string) => missingChainSteps(family, table, chains, listing),
  }));
}
