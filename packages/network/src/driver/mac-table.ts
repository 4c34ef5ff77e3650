/**
 * <bridge macTableManager='libvirt'>: the driver, not the kernel, keeps the bridge's forwarding
 * table. The bridge gets VLAN filtering; each guest port stops learning and flooding unknown
 * unicast, and its guest's MAC is entered in the forwarding database instead.
 */
import type { NetworkDef } from '@tsvirt/core';
import type { Host } from './host.js';

export const managesMacTable = (def: NetworkDef): boolean => def.bridge?.macTableManager === 'libvirt';

/**
 * Returns warnings: a kernel built without bridge VLAN filtering refuses it, and the MAC table is
 * then kept without it (the per-port settings still apply), as the tc fallbacks do.
 */
export async function setupMacTable(host: Host, def: NetworkDef, bridge: string): Promise<string[]> {
  if (!managesMacTable(def)) return [];
  try {
    await host.run(['ip', 'link', 'set', 'dev', bridge, 'type', 'bridge', 'vlan_filtering', '1']);
    return [];
  } catch (err) {
    if (!/Operation not supported/.test((err as Error).message)) throw err;
    return [
      `the kernel has no bridge VLAN filtering: ${bridge} keeps its MAC table without it (ports still do not learn or flood)`,
    ];
  }
}

export async function registerPortMac(host: Host, def: NetworkDef, ifname: string, mac: string): Promise<void> {
  if (!managesMacTable(def)) return;
  await host.run(['bridge', 'link', 'set', 'dev', ifname, 'learning', 'off', 'flood', 'off']);
  await host.run(['bridge', 'fdb', 'add', mac, 'dev', ifname, 'master', 'temp']);
}
