/** <networkport>: one guest NIC's port on a virtual network (libvirt 5.5+ virNetworkPort). */
import type { Bandwidth } from '../network/bandwidth.js';
import type { ForwardDriverName, PciAddress } from '../network/forward.js';
import type { MacTableManager } from '../network/types.js';
import type { VirtualPort } from '../network/virtualport.js';
import type { Vlan } from '../network/vlan.js';

export const PORT_PLUG_TYPES = ['none', 'network', 'bridge', 'direct', 'hostdev-pci'] as const;
export type PortPlugType = (typeof PORT_PLUG_TYPES)[number];

/** macvtap modes a direct plug names (virNetDevMacVLanMode). */
export const MACVLAN_MODES = ['vepa', 'private', 'bridge', 'passthrough'] as const;
export type MacvlanMode = (typeof MACVLAN_MODES)[number];

/** Where the hypervisor plugs the guest: a bridge, a host device (macvtap) or a PCI function. */
export type PortPlug =
  | { type: 'network' | 'bridge'; bridge: string; macTableManager?: MacTableManager }
  | { type: 'direct'; dev: string; mode?: MacvlanMode }
  | { type: 'hostdev-pci'; managed?: boolean; driver?: ForwardDriverName; address: PciAddress };

export interface NetworkPortDef {
  uuid: string;
  owner: { name: string; uuid: string };
  /** The network's <portgroup> the port uses. */
  group?: string;
  mac: string;
  virtualPort?: VirtualPort;
  bandwidth?: Bandwidth;
  /** The tc class 1:ID guaranteeing the inbound floor on the network's bridge. */
  classId?: number;
  vlan?: Vlan;
  isolated?: boolean;
  trustGuestRxFilters?: boolean;
  plug?: PortPlug;
}
