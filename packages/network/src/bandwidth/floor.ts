/**
 * Guaranteed inbound bandwidth (`floor`) of guest ports on a network's bridge, as libvirt's
 * network driver accounts for it: a class ID per port from a bitmap (0-2 are the root and
 * classes 1:1 and 1:2, so the first port gets 3), and the sum of floors, which may not exceed
 * the network's inbound peak (or average when there is no peak).
 */
import { ErrorCode, type NetworkDef } from '@tsvirt/core';
import { ownsBridge } from '../driver/start.js';
import { networkError } from '../errors.js';
import type { Bandwidth } from '../model.js';

/** IDs libvirt reserves on every network: root qdisc, class 1:1, class 1:2. */
export const RESERVED_CLASS_IDS: readonly number[] = [0, 1, 2];

export function firstFreeClassId(used: readonly number[]): number {
  const set = new Set(used);
  let id = 0;
  while (set.has(id)) id++;
  return id;
}

export const hasFloor = (bw: Bandwidth | undefined): boolean => (bw?.inbound?.floor ?? 0) > 0;

/**
 * libvirt's check before plugging a port with a floor. Returns the rate the network's inbound
 * traffic may reach (peak, else average), or undefined when no class is needed.
 */
export function checkFloor(
  def: NetworkDef,
  mac: string,
  port: Bandwidth | undefined,
  floorSum: number,
): number | undefined {
  const net = def.bandwidth?.inbound;
  if (hasFloor(port) && !ownsBridge(def)) {
    throw networkError(
      ErrorCode.CONFIG_UNSUPPORTED,
      `Invalid use of 'floor' on interface with MAC address ${mac} - 'floor' is only supported for interface type 'network' with forward type 'nat', 'route', 'open' or none`,
    );
  }
  if (hasFloor(port) && !net) {
    throw networkError(
      ErrorCode.CONFIG_UNSUPPORTED,
      `Invalid use of 'floor' on interface with MAC address ${mac} - network '${def.name}' has no inbound QoS set`,
    );
  }
  if (!net || !hasFloor(port)) return undefined;
  const sum = floorSum + (port?.inbound?.floor ?? 0);
  const [limitName, limit] = net.peak ? ['peak', net.peak] : ['average', net.average ?? 0];
  if (sum > limit) {
    throw networkError(
      ErrorCode.OPERATION_INVALID,
      `Cannot plug '${mac}' interface into '${def.bridge?.name}' because new combined inbound floor=${sum} would overcommit ${limitName}=${limit} on network '${def.name}'`,
    );
  }
  return net.peak || net.average || 0;
}
