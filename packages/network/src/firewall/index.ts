import type { NetworkDef } from '@tsvirt/core';
import { iptablesTransactions } from './iptables.js';
import { nftablesTransactions } from './nftables.js';
import type { FirewallBackend, FirewallTransaction } from './types.js';

export { type NetworkRule, networkRules } from './rules.js';
export { type CommandExecutor, runTransactions, runUndo } from './run.js';
export * from './types.js';

/** Everything starting the network does to the firewall, for the chosen backend. */
export function firewallTransactions(def: NetworkDef, backend: FirewallBackend): FirewallTransaction[] {
  return backend === 'nftables' ? nftablesTransactions(def) : iptablesTransactions(def);
}
