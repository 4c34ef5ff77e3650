/**
 * The port API the hypervisor drivers use for <interface type='network'>: plug a guest NIC into
 * a network (a tap on its bridge, or a macvtap from its pool, with the port's bandwidth and
 * floor) and unplug it. It talks to the same driver instance as network:// connections opened
 * with the same URI and options in this process, so ports and network state stay consistent.
 */
import { ErrorCode, ErrorDomain, type InterfaceDef, type OpenOptions, parseConnectUri, VirError } from '@tsvirt/core';
import type { NetworkConnection } from './driver/connection.js';
import { driver } from './driver/descriptor.js';
import type { AllocatedPort, PortRequest } from './driver/ports.js';
import type { PortRecord } from './driver/start.js';

export type { AllocatedPort, PortRecord, PortRequest };

const GENERATED_IFNAME = /^(vnet|macvtap)[0-9]+$/;

export interface NetworkPorts {
  allocatePort(networkName: string, request: PortRequest): Promise<AllocatedPort>;
  releasePort(networkName: string, ifname: string): Promise<void>;
  listPorts(networkName: string): Promise<PortRecord[]>;
  /** Class IDs in use on the network's bridge and the sum of the plugged floors (KiB/s). */
  getBandwidthState(networkName: string): Promise<{ classIds: number[]; floorSum: number }>;
  close(): Promise<void>;
}

/** Opens the network driver for port management: network:///system by default. */
export async function openNetworkPorts(uri = 'network:///system', options: OpenOptions = {}): Promise<NetworkPorts> {
  const conn = await driver.open(parseConnectUri(uri), options);
  if (typeof conn === 'symbol') throw new Error(`${uri} is not a network:// URI`);
  const { network } = conn as NetworkConnection;
  return {
    allocatePort: (name, request) => network.allocatePort(name, request),
    releasePort: (name, ifname) => network.releasePort(name, ifname),
    listPorts: (name) => network.portRecords(name),
    getBandwidthState: (name) => network.getBandwidthState(name),
    close: () => conn.close(),
  };
}

/**
 * What a hypervisor driver asks for an <interface type='network'>: the network's name and the
 * port request (MAC, the interface's bandwidth, its port group, a <target dev> it names).
 */
export function portRequestForInterface(
  iface: InterfaceDef,
  owner?: string,
  ownerUuid?: string,
): { network: string; request: PortRequest } {
  const network = iface.source?.network;
  if (iface.type !== 'network' || !network) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NETWORK,
      detail: `interface with MAC ${iface.mac.address} is not of type 'network'`,
    });
  }
  const portgroup = iface.source?.portgroup;
  return {
    network,
    request: {
      mac: iface.mac.address,
      ...(iface.bandwidth ? { bandwidth: iface.bandwidth } : {}),
      ...(portgroup ? { portgroup } : {}),
      ...(iface.isolatedPort !== undefined ? { isolated: iface.isolatedPort } : {}),
      // A name the host generated last time (vnetN, macvtapN) is not asked for again, as in libvirt.
      ...(iface.target?.dev && !GENERATED_IFNAME.test(iface.target.dev) ? { ifname: iface.target.dev } : {}),
      ...(owner ? { owner } : {}),
      ...(ownerUuid ? { ownerUuid } : {}),
    },
  };
}
