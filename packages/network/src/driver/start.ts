/**
 * Starting and stopping a network the way libvirt's network driver does. A network with its own
 * bridge (no forward, nat, route, open) gets, in order: route-collision check, bridge (MAC,
 * MTU, STP), IPv6 sysctls, firewall rules, addresses, link up, static routes, IP forwarding,
 * dnsmasq. Any failure takes back every step already done, newest first, so a failed start
 * leaves nothing behind. Other modes (a host bridge, macvtap pools, hostdev) use devices that
 * exist already and need nothing set up here.
 */
import { isVirError, type NetworkDef, type NetworkPortDef } from '@tsvirt/core';
import { isIpv6 } from '../addr/subnet.js';
import { applyNetworkBandwidth, clearBandwidth } from '../bandwidth/device.js';
import { RESERVED_CLASS_IDS } from '../bandwidth/floor.js';
import { internalError } from '../errors.js';
import { firewallTransactions } from '../firewall/index.js';
import { runTransactions, runUndo } from '../firewall/run.js';
import type { Argv, FirewallBackend } from '../firewall/types.js';
import type { Bandwidth } from '../model.js';

type Vlan = NonNullable<NetworkPortDef['vlan']>;
type VirtualPort = NonNullable<NetworkPortDef['virtualPort']>;

import {
  addAddress,
  addRoutes,
  configureBridge,
  createBridge,
  deleteBridge,
  setIpv6Sysctls,
  setLinkUp,
} from './bridge.js';
import { type DnsmasqLocation, needsDnsmasq, startDnsmasq, stopDnsmasq } from './dnsmasq-process.js';
import type { Host } from './host.js';
import { setupMacTable } from './mac-table.js';
import { checkRouteCollision } from './route-collision.js';
import { checkSriovPool } from './sriov-pool.js';

export interface StartContext {
  readonly host: Host;
  readonly dnsmasq: DnsmasqLocation;
  readonly firewallBackend: FirewallBackend;
  /** Where warnings go (a kernel without a tc module libvirt uses, a route not added). */
  readonly warn?: (message: string) => void;
}

/** A guest NIC plugged into the network (see ports.ts). */
export interface PortRecord {
  /**
   * The port object's identity (libvirt's virNetworkPort UUID). Records written before ports
   * had one get one when the state is read (see port-objects.ts).
   */
  readonly uuid: string;
  /** The device this driver created (a tap or macvtap); '' for a port whose owner plugs its own. */
  readonly ifname: string;
  readonly mac: string;
  readonly type: 'tap' | 'macvtap';
  /** Device it is attached to: the bridge, or the macvtap's lower device. */
  readonly attachedTo: string;
  readonly bandwidth?: Bandwidth;
  /** The class 1:ID guaranteeing its floor on the bridge. */
  readonly classId?: number;
  readonly owner?: string;
  readonly ownerUuid?: string;
  /** The network's <portgroup> it uses. */
  readonly group?: string;
  readonly isolated?: boolean;
  /** Kept as given to the port API (<networkport> round trip); not applied to a device here. */
  readonly vlan?: Vlan;
  readonly virtualPort?: VirtualPort;
  readonly trustGuestRxFilters?: boolean;
}

/** What a running network needs remembered to be stopped later (kept in its status file). */
export interface RunState {
  readonly bridge?: string;
  readonly dnsmasqPid?: number;
  readonly firewallBackend?: FirewallBackend;
  /** Commands that remove the network's firewall rules, in order. */
  readonly firewallUndo?: readonly Argv[];
  /** Class IDs in use on the bridge (libvirt's class_id bitmap; 0-2 always). */
  readonly classIds?: readonly number[];
  /** Forward mode bridge: the host's bridge the network uses (never created or deleted here). */
  readonly hostBridge?: string;
  /** Sum of the floors of the plugged ports, KiB/s. */
  readonly floorSum?: number;
  readonly ports?: Readonly<Record<string, PortRecord>>;
  /** What differs from libvirt on this kernel (tc fallbacks). */
  readonly warnings?: readonly string[];
}

export function ownsBridge(def: NetworkDef): boolean {
  const mode = def.forward?.mode;
  return mode === undefined || mode === 'nat' || mode === 'route' || mode === 'open';
}

type Undo = () => Promise<unknown>;

/**
 * Forward mode bridge with a host bridge, as libvirt starts it: the network's <bandwidth> on
 * that bridge and its MAC table mode; nothing is created. Direct pools need nothing at start.
 */
async function startOnHostBridge(def: NetworkDef, ctx: StartContext): Promise<RunState> {
  const hostBridge = def.forward?.mode === 'bridge' ? def.bridge?.name : undefined;
  if (!hostBridge) {
    // Direct and hostdev pools: only an SR-IOV pool (<pf>) is looked at, as libvirt does.
    await checkSriovPool(ctx.host, def);
    return { ports: {} };
  }
  const warnings: string[] = [];
  try {
    if (def.bandwidth) warnings.push(...(await applyNetworkBandwidth(ctx.host, hostBridge, def.bandwidth)));
    warnings.push(...(await setupMacTable(ctx.host, def, hostBridge)));
    for (const w of warnings) ctx.warn?.(w);
  } catch (err) {
    if (def.bandwidth) await clearBandwidth(ctx.host, hostBridge).catch(() => undefined);
    throw isVirError(err) ? err : internalError((err as Error).message, err);
  }
  return {
    hostBridge,
    classIds: [...RESERVED_CLASS_IDS],
    floorSum: 0,
    ports: {},
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

async function unwind(steps: Undo[]): Promise<void> {
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch {
      // Keep unwinding: the first error is the one reported.
    }
  }
}

export async function startNetwork(def: NetworkDef, ctx: StartContext): Promise<RunState> {
  if (!ownsBridge(def)) return startOnHostBridge(def, ctx);
  const { host } = ctx;
  const bridge = def.bridge?.name;
  if (!bridge) throw internalError(`network '${def.name}' has no bridge name defined`);

  await checkRouteCollision(def, host);
  const undo: Undo[] = [];
  try {
    await createBridge(host, def, bridge);
    undo.push(() => deleteBridge(host, bridge));
    await configureBridge(host, def, bridge);
    const warnings = await setupMacTable(host, def, bridge);
    await setIpv6Sysctls(host, def, bridge);

    let firewallUndo: Argv[] = [];
    if (def.forward?.mode !== 'open') {
      firewallUndo = await runTransactions(firewallTransactions(def, ctx.firewallBackend), (a) => host.run(a));
      undo.push(() => runUndo(firewallUndo, (a) => host.run(a)));
    }

    for (const ip of def.ips) await addAddress(host, ip, bridge);
    await setLinkUp(host, bridge, true);
    undo.push(() => setLinkUp(host, bridge, false));
    await addRoutes(host, def, bridge);

    if (def.forward) {
      // Forwarding is switched on for the whole host (namespace) and left on, as libvirt does.
      if (def.ips.some((ip) => !isIpv6(ip))) await host.setSysctl('net.ipv4.ip_forward', '1');
      if (def.ips.some(isIpv6)) await host.setSysctl('net.ipv6.conf.all.forwarding', '1');
    }

    let dnsmasqPid: number | undefined;
    if (needsDnsmasq(def)) {
      dnsmasqPid = await startDnsmasq(host, def, ctx.dnsmasq);
      const pid = dnsmasqPid;
      undo.push(() => stopDnsmasq(pid, def, ctx.dnsmasq));
    }
    if (def.bandwidth) {
      undo.push(() => clearBandwidth(host, bridge));
      warnings.push(...(await applyNetworkBandwidth(host, bridge, def.bandwidth)));
    }
    for (const w of warnings) ctx.warn?.(w);
    return {
      bridge,
      dnsmasqPid,
      firewallBackend: ctx.firewallBackend,
      firewallUndo,
      classIds: [...RESERVED_CLASS_IDS],
      floorSum: 0,
      ports: {},
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  } catch (err) {
    await unwind(undo);
    // A failed command becomes libvirt's internal error carrying the command's own message.
    throw isVirError(err) ? err : internalError((err as Error).message, err);
  }
}

/** Takes a running network down; carries on past failures so nothing is left half-removed. */
export async function stopNetwork(def: NetworkDef, state: RunState, ctx: StartContext): Promise<void> {
  const { host } = ctx;
  // The port devices this driver created go too (a tap still open by a guest lives on until closed).
  for (const port of Object.values(state.ports ?? {})) {
    if (port.ifname) await host.run(['ip', 'link', 'del', 'dev', port.ifname]).catch(() => undefined);
  }
  if (state.hostBridge && def.bandwidth) await clearBandwidth(host, state.hostBridge).catch(() => undefined);
  if (!state.bridge) return;
  const bridge = state.bridge;
  const steps: Undo[] = [() => deleteBridge(host, bridge)];
  if (state.firewallUndo) {
    const commands = state.firewallUndo;
    steps.push(() => runUndo(commands, (a) => host.run(a)));
  }
  steps.push(() => setLinkUp(host, bridge, false));
  if (state.dnsmasqPid) {
    const pid = state.dnsmasqPid;
    steps.push(() => stopDnsmasq(pid, def, ctx.dnsmasq));
  }
  await unwind(steps);
}
