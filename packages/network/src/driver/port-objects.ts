/**
 * The network's ports as libvirt's port objects (virNetworkPort, <networkport>): every port in
 * a network's run state — a guest NIC a hypervisor driver plugged, or a port created through
 * the port API — is one, with a UUID, an owner, and where its device goes (<plug>).
 */
import { randomUUID } from 'node:crypto';
import type { NetworkDef, NetworkPortDef } from '@tsvirt/core';
import type { PortRecord, RunState } from './start.js';

/** Where a port is kept in the run state: by its device, or by UUID when its owner plugs its own. */
export const portKey = (p: Pick<PortRecord, 'ifname' | 'uuid'>): string => p.ifname || p.uuid;

/** libvirt's owner UUID for a port whose owner did not give one. */
const NO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Ports recorded by a version that kept no UUIDs get one now; answers whether any did (the
 * state must then be saved, so the UUID stays the same across restarts).
 */
export function givePortsUuids(run: RunState): { run: RunState; changed: boolean } {
  const ports = Object.entries(run.ports ?? {});
  if (ports.every(([, p]) => p.uuid)) return { run, changed: false };
  const withUuids = Object.fromEntries(ports.map(([k, p]) => [k, p.uuid ? p : { ...p, uuid: randomUUID() }]));
  return { run: { ...run, ports: withUuids }, changed: true };
}

function plugOf(def: NetworkDef, run: RunState, p: PortRecord): NetworkPortDef['plug'] {
  if (p.type === 'macvtap') {
    const mode = def.forward?.mode;
    return {
      type: 'direct',
      dev: p.attachedTo,
      ...(mode === 'bridge' || mode === 'private' || mode === 'vepa' || mode === 'passthrough' ? { mode } : {}),
    };
  }
  const macTableManager = def.bridge?.macTableManager === 'libvirt' ? ({ macTableManager: 'libvirt' } as const) : {};
  // A host bridge (forward mode bridge) is plugged as 'bridge', the network's own as 'network'.
  const type = run.hostBridge !== undefined && p.attachedTo === run.hostBridge ? 'bridge' : 'network';
  return { type, bridge: p.attachedTo, ...macTableManager };
}

export function portDefOf(def: NetworkDef, run: RunState, p: PortRecord): NetworkPortDef {
  return {
    uuid: p.uuid,
    owner: { name: p.owner ?? '', uuid: p.ownerUuid ?? NO_UUID },
    ...(p.group ? { group: p.group } : {}),
    mac: p.mac,
    ...(p.virtualPort ? { virtualPort: p.virtualPort } : {}),
    ...(p.bandwidth ? { bandwidth: p.bandwidth } : {}),
    ...(p.classId !== undefined ? { classId: p.classId } : {}),
    ...(p.vlan ? { vlan: p.vlan } : {}),
    ...(p.isolated !== undefined ? { isolated: p.isolated } : {}),
    ...(p.trustGuestRxFilters !== undefined ? { trustGuestRxFilters: p.trustGuestRxFilters } : {}),
    plug: plugOf(def, run, p),
  };
}
