/** Typed model of libvirt's network XML (formatnetwork). Element families live in their own files. */
import type { XmlElement } from '../adapter.js';
import type { Bandwidth } from './bandwidth.js';
import type { NetworkDns } from './dns.js';
import type { NetworkForward } from './forward.js';
import type { NetworkIp } from './ip.js';
import type { PortGroup } from './portgroup.js';
import type { NetworkRoute } from './route.js';
import type { VirtualPort } from './virtualport.js';
import type { Vlan } from './vlan.js';

export const MAC_TABLE_MANAGERS = ['kernel', 'libvirt'] as const;
export type MacTableManager = (typeof MAC_TABLE_MANAGERS)[number];

export interface NetworkBridge {
  name?: string;
  /** firewalld zone. */
  zone?: string;
  /** Spanning tree; absent means on. Kept as given so validation can tell "not set". */
  stp?: boolean;
  /** Forward delay in seconds; absent means 0. */
  delay?: number;
  macTableManager?: MacTableManager;
}

export interface NetworkDef {
  name: string;
  /** Generated (v4) when the XML has none. */
  uuid: string;
  /** Live XML only: number of guest interfaces using the network. */
  connections?: number;
  /** ipv6='yes': guest-to-guest IPv6 without a gateway address. */
  ipv6?: boolean;
  trustGuestRxFilters?: boolean;
  title?: string;
  description?: string;
  /** Children of <metadata>, verbatim (namespaced elements only). */
  metadata?: XmlElement[];
  /** Absent: an isolated network (no <forward>). */
  forward?: NetworkForward;
  bridge?: NetworkBridge;
  mtu?: number;
  /** Bridge MAC address, lower case. */
  mac?: string;
  domain?: { name: string; localOnly?: boolean; register?: boolean };
  dns?: NetworkDns;
  vlan?: Vlan;
  bandwidth?: Bandwidth;
  /** <port isolated='yes|no'/>: default isolation of the network's guest ports. */
  isolatedPort?: boolean;
  ips: NetworkIp[];
  routes: NetworkRoute[];
  virtualPort?: VirtualPort;
  portGroups: PortGroup[];
  /** <dnsmasq:options> values (dnsmasq XML namespace). */
  dnsmasqOptions?: string[];
}

export type { Bandwidth, BandwidthRate } from './bandwidth.js';
export type { DnsForwarder, DnsHost, DnsSrv, DnsTxt, NetworkDns } from './dns.js';
export type { ForwardInterface, ForwardMode, ForwardNat, NetworkForward, PciAddress } from './forward.js';
export type { DhcpHost, DhcpLease, DhcpRange, LeaseUnit, NetworkIp } from './ip.js';
export type { PortGroup } from './portgroup.js';
export type { NetworkRoute } from './route.js';
export type { VirtualPort, VirtualPortType } from './virtualport.js';
export type { Vlan, VlanTag } from './vlan.js';
