/** @tsvirt/network: libvirt's Linux virtual-network driver. */
export { buildDnsmasqConfig, type DnsmasqFiles, type DnsmasqPaths } from './dnsmasq/index.js';
export {
  type Argv,
  type CommandExecutor,
  FIREWALL_BACKENDS,
  type FirewallBackend,
  type FirewallStep,
  type FirewallTransaction,
  firewallTransactions,
  runTransactions,
  runUndo,
} from './firewall/index.js';
