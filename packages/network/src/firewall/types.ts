/** Firewall changes as data: argument vectors grouped in transactions, run by run.ts. */

export type Argv = readonly string[];

export interface FirewallStep {
  readonly argv: Argv;
  /** A failure here does not stop the transaction (rules not every kernel supports). */
  readonly ignoreErrors?: boolean;
  /** A query: its output decides further steps, which run at the end of the same transaction. */
  readonly next?: (output: string) => FirewallStep[];
  /** The command that takes this step back, given the step's output (none for queries and chains). */
  readonly undo?: (output: string) => Argv | undefined;
}

export type FirewallTransaction = readonly FirewallStep[];

export type FirewallBackend = 'nftables' | 'iptables';
export const FIREWALL_BACKENDS: readonly FirewallBackend[] = ['nftables', 'iptables'];

export type IpFamily = 'ipv4' | 'ipv6';
