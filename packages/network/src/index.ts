/** @tsvirt/network: libvirt's Linux virtual-network driver. */
export { buildDnsmasqConfig, type DnsmasqFiles, type DnsmasqPaths } from './dnsmasq/index.js';
export { driver } from './driver/descriptor.js';
export type { DhcpLeaseEntry } from './driver/leases.js';
export { HostNetworks } from './driver/networks.js';
export { type DriverPaths, embedPaths } from './driver/paths.js';
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
export {
  type AllocatedPort,
  type NetworkPorts,
  openNetworkPorts,
  type PortRecord,
  type PortRequest,
  portRequestForInterface,
} from './ports.js';
/** The pure net-update step (one section of a definition changed), for other drivers (the test driver). */
export { applyNetworkUpdate, type UpdateContext } from './update/apply.js';
