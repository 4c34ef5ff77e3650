/** Names for parts of core's network model that core does not export by name. */
import type { NetworkDef, NetworkIp } from '@tsvirt/core';

export type DhcpConfig = NonNullable<NetworkIp['dhcp']>;
export type DhcpHost = DhcpConfig['hosts'][number];
export type DhcpRange = DhcpConfig['ranges'][number];
export type DhcpLease = NonNullable<DhcpRange['lease']>;
export type DnsSrv = NonNullable<NetworkDef['dns']>['srvs'][number];

/** An <ip> hands out addresses when it has a range or a static host. */
export function servesDhcp(ip: NetworkIp): boolean {
  return !!ip.dhcp && (ip.dhcp.ranges.length > 0 || ip.dhcp.hosts.length > 0);
}
export type Bandwidth = NonNullable<NetworkDef['bandwidth']>;
export type BandwidthRate = NonNullable<Bandwidth['inbound']>;
