/**
 * Host network interfaces (libvirt's virInterfaceDef, interface.rng): an ethernet NIC, a bridge,
 * a bond or a VLAN, with its start mode, MTU and IP configuration.
 *
 * Values libvirt keeps as text (MAC, addresses, the VLAN tag, the bridge delay) stay text here:
 * libvirt does not check them either, and formats them back as given.
 */

export const HOST_INTERFACE_TYPES = ['ethernet', 'bridge', 'bond', 'vlan'] as const;
export type HostInterfaceType = (typeof HOST_INTERFACE_TYPES)[number];

export const INTERFACE_START_MODES = ['onboot', 'none', 'hotplug'] as const;
export type InterfaceStartMode = (typeof INTERFACE_START_MODES)[number];

export const BOND_MODES = [
  'balance-rr',
  'active-backup',
  'balance-xor',
  'broadcast',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
] as const;
export type BondMode = (typeof BOND_MODES)[number];

export const BOND_MII_CARRIERS = ['ioctl', 'netif'] as const;
export type BondMiiCarrier = (typeof BOND_MII_CARRIERS)[number];

export const BOND_ARP_VALIDATES = ['active', 'backup', 'all'] as const;
export type BondArpValidate = (typeof BOND_ARP_VALIDATES)[number];

/** virNetDevIfState names, as <link state> takes them. */
export const HOST_LINK_STATES = [
  'unknown',
  'notpresent',
  'down',
  'lowerlayerdown',
  'testing',
  'dormant',
  'up',
] as const;
export type HostLinkState = (typeof HOST_LINK_STATES)[number];

export interface HostInterfaceIp {
  address: string;
  /** 0 is "not given" (libvirt does not print it). */
  prefix: number;
}

export interface HostInterfaceProtocol {
  family: 'ipv4' | 'ipv6';
  autoconf?: boolean;
  /** Present when <dhcp> is; `peerDns` undefined when the attribute is absent. */
  dhcp?: { peerDns?: boolean };
  ips: HostInterfaceIp[];
  gateway?: string;
}

export interface HostInterfaceLink {
  /** Mb/s; 0 is "not given". */
  speed: number;
  state?: HostLinkState;
}

export interface BondMiiMon {
  freq: number;
  downDelay: number;
  upDelay: number;
  carrier?: BondMiiCarrier;
}

export interface BondArpMon {
  interval: number;
  target: string;
  validate?: BondArpValidate;
}

interface InterfaceCommon {
  name: string;
  /** Only top-level interfaces carry these three. */
  startMode?: InterfaceStartMode;
  /** 0 is "not given". */
  mtu: number;
  protocols: HostInterfaceProtocol[];
  /** Not on bridges. */
  link?: HostInterfaceLink;
}

export interface EthernetInterfaceDef extends InterfaceCommon {
  type: 'ethernet';
  mac?: string;
}

export interface BridgeInterfaceDef extends InterfaceCommon {
  type: 'bridge';
  stp?: boolean;
  delay?: string;
  /** Ethernet, VLAN or bond interfaces enslaved to the bridge. */
  interfaces: HostInterfaceDef[];
}

export interface BondInterfaceDef extends InterfaceCommon {
  type: 'bond';
  mode?: BondMode;
  miimon?: BondMiiMon;
  arpmon?: BondArpMon;
  /** Ethernet interfaces enslaved to the bond. */
  interfaces: HostInterfaceDef[];
}

export interface VlanInterfaceDef extends InterfaceCommon {
  type: 'vlan';
  tag: string;
  device: string;
}

export type HostInterfaceDef = EthernetInterfaceDef | BridgeInterfaceDef | BondInterfaceDef | VlanInterfaceDef;

/** The MAC address an interface handle carries: the ethernet MAC, else '' (as virGetInterface stores it). */
export function hostInterfaceMac(def: HostInterfaceDef): string {
  return def.type === 'ethernet' ? (def.mac ?? '') : '';
}
