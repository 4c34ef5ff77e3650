/**
 * <interface type='network'>: before QEMU starts, each such NIC gets a port from the shared
 * network driver (a tap on the network's bridge, bandwidth floor and MAC registered); the tap's
 * name goes into the live definition for QEMU to open. Ports go back when the guest stops.
 */
import { type DomainDef, ErrorCode, type NetworkDriver, type NetworkPortRequest } from '@tsvirt/core';
import { qemuError } from './errors.js';

/** The network NICs of a definition, each with the name of its network. */
function networkNics(def: DomainDef) {
  const out: Array<{ iface: DomainDef['devices']['interfaces'][number]; name: string }> = [];
  for (const iface of def.devices.interfaces) {
    const name = iface.type === 'network' ? iface.source?.network : undefined;
    if (name !== undefined) out.push({ iface, name });
  }
  return out;
}

/** Whether `def` has an <interface type='network'> (its start needs the network driver). */
export function hasNetworkNic(def: DomainDef): boolean {
  return networkNics(def).length > 0;
}

/** Plug every network NIC of `def` (the live copy: target devs are written into it). */
export async function plugNetworkInterfaces(
  def: DomainDef,
  network: NetworkDriver | undefined,
  owner: string,
): Promise<void> {
  const done: Array<{ network: string; ifname: string }> = [];
  try {
    for (const { iface, name } of networkNics(def)) {
      if (!network?.allocatePort) {
        throw qemuError(
          ErrorCode.OPERATION_UNSUPPORTED,
          `no network driver can plug interface ${iface.mac.address} into network '${name}'`,
        );
      }
      const request: NetworkPortRequest = {
        mac: iface.mac.address,
        owner,
        ownerUuid: def.uuid,
        ...(iface.bandwidth ? { bandwidth: iface.bandwidth as NetworkPortRequest['bandwidth'] } : {}),
        ...(iface.source?.portgroup ? { portgroup: iface.source.portgroup } : {}),
        ...(iface.target?.dev ? { ifname: iface.target.dev } : {}),
        ...(iface.isolatedPort !== undefined ? { isolated: iface.isolatedPort } : {}),
      };
      const port = await network.allocatePort(name, request);
      done.push({ network: name, ifname: port.ifname });
      if (port.type !== 'tap') {
        // A macvtap is reached only through a descriptor, which the embedded driver cannot pass.
        throw qemuError(
          ErrorCode.OPERATION_UNSUPPORTED,
          `network '${name}' gives macvtap ports, which tsvirt's QEMU driver cannot open yet`,
        );
      }
      iface.target = { ...iface.target, dev: port.ifname };
    }
  } catch (err) {
    await releasePorts(done, network);
    throw err;
  }
}

/** Give back the ports a running definition holds (its network NICs' target devs). */
export async function unplugNetworkInterfaces(def: DomainDef, network: NetworkDriver | undefined): Promise<void> {
  const ports = networkNics(def).flatMap(({ iface, name }) =>
    iface.target?.dev ? [{ network: name, ifname: iface.target.dev }] : [],
  );
  await releasePorts(ports, network);
}

async function releasePorts(
  ports: Array<{ network: string; ifname: string }>,
  network: NetworkDriver | undefined,
): Promise<void> {
  for (const p of ports) await network?.releasePort?.(p.network, p.ifname).catch(() => undefined);
}
