/** The NetworkDriver of core's contract: bookkeeping, persistence, and start/stop on the host. */
import { readFile } from 'node:fs/promises';
import {
  checkFlags,
  type DriverEvent,
  ErrorCode,
  ErrorDomain,
  type NetworkDef,
  type NetworkDhcpLease,
  type NetworkDriver,
  NetworkEventType,
  type NetworkLookup,
  type NetworkPortDef,
  type NetworkRef,
  NetworkUpdateFlags,
  objectMatchesListFlags,
  parseIp,
  sameSubnet,
} from '@tsvirt/core';
import { ipPrefix } from '../addr/subnet.js';
import { leasesPath } from '../dnsmasq/paths.js';
import { networkError } from '../errors.js';
import { applyNetworkUpdate } from '../update/apply.js';
import { prepareDefinition } from './define-checks.js';
import { isDnsmasqRunning, removeDnsmasqFiles, startDnsmasq } from './dnsmasq-process.js';
import { parseDnsmasqLeases } from './leases.js';
import { applyLiveUpdate } from './live-update.js';
import { portDefOf, portKey } from './port-objects.js';
import { type AllocatedPort, type PortRequest, plugPort, unplugPort } from './ports.js';
import { type PortRecord, type StartContext, startNetwork, stopNetwork } from './start.js';
import type { NetworkObject, NetworkStore } from './store.js';

/** The prefix of the network address a leased address lies in (0 when none matches). */
function leasePrefix(def: NetworkDef, address: string): number {
  const addr = parseIp(address);
  for (const ip of def.ips) {
    const net = parseIp(ip.address);
    const prefix = ipPrefix(ip);
    if (addr && net && prefix !== undefined && net.family === addr.family && sameSubnet(addr, net, prefix))
      return prefix;
  }
  return 0;
}

const refOf = (o: NetworkObject): NetworkRef => ({ name: o.def.name, uuid: o.def.uuid });

export class HostNetworks implements NetworkDriver {
  constructor(
    private readonly store: NetworkStore,
    private readonly ctx: StartContext,
    private readonly emit: (e: DriverEvent) => void,
  ) {}

  /** Changes to a network's ports and live definition run one at a time (class IDs, floor sum). */
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get objects(): NetworkObject[] {
    return this.store.objects;
  }

  private find(ref: NetworkRef): NetworkObject {
    const o = this.objects.find((x) => x.def.uuid === ref.uuid);
    if (!o) throw networkError(ErrorCode.NO_NETWORK, `no network with matching uuid '${ref.uuid}' (${ref.name})`);
    return o;
  }

  private event(o: NetworkObject, event: number): void {
    this.emit({ kind: 'network-lifecycle', network: refOf(o), event, detail: 0 });
  }

  async listNetworks(flags: number): Promise<NetworkRef[]> {
    return this.objects.filter((o) => objectMatchesListFlags(flags, o)).map(refOf);
  }

  async lookupNetwork(by: NetworkLookup): Promise<NetworkRef> {
    const byName = 'name' in by;
    const o = this.objects.find((x) => (byName ? x.def.name === by.name : x.def.uuid === by.uuid));
    if (!o) {
      const what = byName ? `name '${by.name}'` : `uuid '${by.uuid}'`;
      throw networkError(ErrorCode.NO_NETWORK, `no network with matching ${what}`);
    }
    return refOf(o);
  }

  async getNetworkXml(ref: NetworkRef, flags: number): Promise<NetworkDef> {
    const o = this.find(ref);
    // VIR_NETWORK_XML_INACTIVE: the persistent definition.
    return (flags & 1) !== 0 && o.newDef ? o.newDef : o.def;
  }

  /** Same name with another UUID, or same UUID under another name, is refused. */
  private existing(def: NetworkDef): NetworkObject | undefined {
    const sameUuid = this.objects.find((x) => x.def.uuid === def.uuid);
    if (sameUuid && sameUuid.def.name !== def.name) {
      throw networkError(
        ErrorCode.OPERATION_FAILED,
        `network '${sameUuid.def.name}' is already defined with uuid ${def.uuid}`,
      );
    }
    const sameName = this.objects.find((x) => x.def.name === def.name);
    if (sameName && sameName !== sameUuid) {
      throw networkError(
        ErrorCode.OPERATION_FAILED,
        `network '${def.name}' already exists with uuid ${sameName.def.uuid}`,
      );
    }
    return sameUuid;
  }

  private prepare(def: NetworkDef, self?: NetworkObject): Promise<NetworkDef> {
    const others = this.objects.filter((o) => o !== self).flatMap((o) => (o.newDef ? [o.def, o.newDef] : [o.def]));
    return prepareDefinition(def, others, this.ctx.host);
  }

  async defineNetwork(input: NetworkDef): Promise<NetworkRef> {
    const found = this.existing(input);
    const def = await this.prepare(input, found);
    await this.store.saveConfig(def);
    if (found) {
      if (found.active) found.newDef = def;
      else found.def = def;
      found.persistent = true;
      this.event(found, NetworkEventType.DEFINED);
      return refOf(found);
    }
    const o: NetworkObject = { def, active: false, persistent: true, autostart: false };
    this.objects.push(o);
    this.event(o, NetworkEventType.DEFINED);
    return refOf(o);
  }

  async createNetwork(input: NetworkDef): Promise<NetworkRef> {
    const found = this.existing(input);
    if (found?.active) throw networkError(ErrorCode.OPERATION_INVALID, 'network is already active');
    const def = await this.prepare(input, found);
    const o: NetworkObject = found ?? { def, active: false, persistent: false, autostart: false };
    const previous = o.def;
    o.def = def;
    try {
      await this.activate(o);
    } catch (err) {
      o.def = previous;
      throw err;
    }
    if (found) found.newDef = previous;
    else this.objects.push(o);
    return refOf(o);
  }

  private async activate(o: NetworkObject): Promise<void> {
    o.run = await startNetwork(o.def, this.ctx);
    o.active = true;
    try {
      await this.store.saveStatus(o);
    } catch (err) {
      await stopNetwork(o.def, o.run, this.ctx);
      o.active = false;
      o.run = undefined;
      throw err;
    }
    this.event(o, NetworkEventType.STARTED);
  }

  async startNetwork(ref: NetworkRef): Promise<void> {
    const o = this.find(ref);
    if (o.active) throw networkError(ErrorCode.OPERATION_INVALID, 'network is already active');
    await this.activate(o);
  }

  async destroyNetwork(ref: NetworkRef): Promise<void> {
    const o = this.find(ref);
    if (!o.active) throw networkError(ErrorCode.OPERATION_INVALID, `network '${o.def.name}' is not active`);
    await stopNetwork(o.def, o.run ?? {}, this.ctx);
    await this.store.deleteStatus(o.def);
    o.active = false;
    o.run = undefined;
    if (o.newDef) {
      o.def = o.newDef;
      o.newDef = undefined;
    }
    this.event(o, NetworkEventType.STOPPED);
    if (!o.persistent) {
      await removeDnsmasqFiles(o.def, this.ctx.dnsmasq);
      this.objects.splice(this.objects.indexOf(o), 1);
    }
  }

  /** An active network stays up as a transient one, as in libvirt. */
  async undefineNetwork(ref: NetworkRef): Promise<void> {
    const o = this.find(ref);
    if (!o.persistent) throw networkError(ErrorCode.OPERATION_INVALID, "can't undefine transient network");
    await this.store.deleteConfig(o.newDef ?? o.def);
    o.persistent = false;
    o.autostart = false;
    o.newDef = undefined;
    this.event(o, NetworkEventType.UNDEFINED);
    if (!o.active) {
      await removeDnsmasqFiles(o.def, this.ctx.dnsmasq);
      this.objects.splice(this.objects.indexOf(o), 1);
    }
  }

  async getNetworkAutostart(ref: NetworkRef): Promise<boolean> {
    return this.find(ref).autostart;
  }
  async setNetworkAutostart(ref: NetworkRef, autostart: boolean): Promise<void> {
    const o = this.find(ref);
    if (!o.persistent) throw networkError(ErrorCode.OPERATION_INVALID, 'cannot set autostart for transient network');
    await this.store.setAutostart(o.newDef ?? o.def, autostart);
    o.autostart = autostart;
  }
  async isNetworkActive(ref: NetworkRef): Promise<boolean> {
    return this.find(ref).active;
  }
  async isNetworkPersistent(ref: NetworkRef): Promise<boolean> {
    return this.find(ref).persistent;
  }
  async getBridgeName(ref: NetworkRef): Promise<string> {
    const o = this.find(ref);
    const name = o.def.bridge?.name;
    if (!name) throw networkError(ErrorCode.INTERNAL_ERROR, `network '${o.def.name}' does not have a bridge name.`);
    return name;
  }

  /**
   * virNetworkGetDHCPLeases (net-dhcp-leases): the unexpired leases dnsmasq handed out, with the
   * prefix of the <ip> they belong to, optionally only those of one MAC address.
   */
  async getDhcpLeases(ref: NetworkRef, mac: string | undefined, flags: number): Promise<NetworkDhcpLease[]> {
    checkFlags(flags, 0, 'networkGetDHCPLeases', ErrorDomain.NETWORK);
    const o = this.find(ref);
    let text = '';
    try {
      text = await readFile(leasesPath(this.ctx.dnsmasq.dnsmasqDir, o.def.name), 'utf8');
    } catch {
      // no lease file yet: no leases
    }
    const now = Math.floor(Date.now() / 1000);
    const wanted = mac?.toLowerCase();
    return parseDnsmasqLeases(text)
      .filter((l) => l.expiryTime === 0 || l.expiryTime >= now)
      .filter((l) => wanted === undefined || l.mac?.toLowerCase() === wanted)
      .map((l) => ({
        iface: o.def.bridge?.name ?? '',
        expiryTime: l.expiryTime,
        type: l.family === 'ipv6' ? 1 : 0,
        ...(l.mac ? { mac: l.mac } : {}),
        ...(l.iaid ? { iaid: l.iaid } : {}),
        ipAddress: l.ipAddress,
        prefix: leasePrefix(o.def, l.ipAddress),
        ...(l.hostname ? { hostname: l.hostname } : {}),
        ...(l.clientId ? { clientId: l.clientId } : {}),
      }));
  }

  /**
   * virNetworkUpdate (net-update): one section of the live and/or persistent definition
   * changed. Live changes reach the running network without a restart where dnsmasq allows:
   * static hosts by rewriting its hosts file and SIGHUP, ranges and DNS records by restarting
   * it, forward devices by replacing the firewall rules.
   */
  updateNetwork(
    ref: NetworkRef,
    command: number,
    section: number,
    parentIndex: number,
    xml: string,
    flags: number,
  ): Promise<void> {
    return this.serial(async () => {
      const known = NetworkUpdateFlags.AFFECT_LIVE | NetworkUpdateFlags.AFFECT_CONFIG;
      checkFlags(flags, known, 'networkUpdate', ErrorDomain.NETWORK);
      const o = this.find(ref);
      let live = (flags & NetworkUpdateFlags.AFFECT_LIVE) !== 0;
      let config = (flags & NetworkUpdateFlags.AFFECT_CONFIG) !== 0;
      if (!live && !config) {
        live = o.active;
        config = !o.active;
      }
      if (live && !o.active) throw networkError(ErrorCode.OPERATION_INVALID, 'network is not running');
      if (config && !o.persistent) {
        throw networkError(ErrorCode.OPERATION_INVALID, 'cannot change persistent config of a transient network');
      }
      const ctx = {
        interfaceUse: (dev: string) => Object.values(o.run?.ports ?? {}).filter((p) => p.attachedTo === dev).length,
      };
      // Both new definitions first: a refusal in either changes nothing.
      const persistentBefore = o.active ? (o.newDef ?? o.def) : o.def;
      const newConfig = config
        ? applyNetworkUpdate(persistentBefore, command, section, parentIndex, xml, ctx)
        : undefined;
      const newLive = live ? applyNetworkUpdate(o.def, command, section, parentIndex, xml, ctx) : undefined;

      if (newLive && o.run) {
        o.run = await applyLiveUpdate(o.def, newLive, o.run, section, this.ctx);
      }
      if (newConfig) await this.store.saveConfig(newConfig);
      if (o.active) {
        // A live-only change must not leak into the persistent definition.
        if (o.persistent && !o.newDef) o.newDef = o.def;
        if (newConfig) o.newDef = newConfig;
        if (newLive) o.def = newLive;
        await this.store.saveStatus(o);
      } else if (newConfig) {
        o.def = newConfig;
      }
    });
  }

  private findByName(name: string): NetworkObject {
    const o = this.objects.find((x) => x.def.name === name);
    if (!o) throw networkError(ErrorCode.NO_NETWORK, `no network with matching name '${name}'`);
    return o;
  }

  /** The live XML's counts: ports on the network, and per device of a direct pool. */
  private withConnections(def: NetworkDef, ports: Readonly<Record<string, PortRecord>> | undefined): NetworkDef {
    const all = Object.values(ports ?? {});
    const { connections: _, ...rest } = def;
    const counted: NetworkDef = all.length > 0 ? { ...rest, connections: all.length } : rest;
    if (!def.forward || def.forward.interfaces.length === 0) return counted;
    const interfaces = def.forward.interfaces.map(({ connections: _c, ...i }) => {
      const n = all.filter((p) => p.type === 'macvtap' && p.attachedTo === i.dev).length;
      return n > 0 ? { ...i, connections: n } : i;
    });
    return { ...counted, forward: { ...def.forward, interfaces } };
  }

  /**
   * Plugs a guest NIC into an active network (tap on its bridge, or macvtap from its pool),
   * applies the port's bandwidth and floor, and records it in the network's state file.
   */
  allocatePort(networkName: string, req: PortRequest): Promise<AllocatedPort> {
    return this.serial(async () => {
      const o = this.findByName(networkName);
      return this.allocateOn(o, req);
    });
  }

  /** Plugs a port into an active network and records it (taken back when it cannot be saved). */
  private async allocateOn(o: NetworkObject, req: PortRequest): Promise<AllocatedPort> {
    {
      if (!o.active || !o.run) throw networkError(ErrorCode.OPERATION_INVALID, `network '${o.def.name}' is not active`);
      const { run, port } = await plugPort(this.ctx.host, o.def, o.run, req);
      const before = { run: o.run, def: o.def };
      o.run = run;
      o.def = this.withConnections(o.def, run.ports);
      try {
        await this.store.saveStatus(o);
      } catch (err) {
        // Not recorded, so not kept: the port is taken off the host again.
        await unplugPort(this.ctx.host, o.def, run, portKey(port)).catch(() => undefined);
        o.run = before.run;
        o.def = before.def;
        throw err;
      }
      for (const w of port.warnings) this.ctx.warn?.(w);
      return port;
    }
  }

  /** Unplugs a port: its class and floor are given back, its device deleted, the state saved. */
  releasePort(networkName: string, ifname: string): Promise<void> {
    return this.serial(async () => {
      const o = this.findByName(networkName);
      if (!o.active || !o.run)
        throw networkError(ErrorCode.OPERATION_INVALID, `network '${networkName}' is not active`);
      o.run = await unplugPort(this.ctx.host, o.def, o.run, ifname);
      o.def = this.withConnections(o.def, o.run.ports);
      await this.store.saveStatus(o);
    });
  }

  /** The ports plugged into a network, with their class IDs (empty when inactive). */
  async portRecords(networkName: string): Promise<PortRecord[]> {
    return Object.values(this.findByName(networkName).run?.ports ?? {});
  }

  private activeObject(ref: NetworkRef): NetworkObject & { run: NonNullable<NetworkObject['run']> } {
    const o = this.find(ref);
    if (!o.active || !o.run) throw networkError(ErrorCode.OPERATION_INVALID, `network '${o.def.name}' is not active`);
    return o as NetworkObject & { run: NonNullable<NetworkObject['run']> };
  }

  private portOf(o: NetworkObject, uuid: string): PortRecord {
    const port = Object.values(o.run?.ports ?? {}).find((p) => p.uuid === uuid);
    if (!port) throw networkError(ErrorCode.NO_NETWORK_PORT, `Network port with UUID ${uuid} does not exist`);
    return port;
  }

  /**
   * virNetworkPortCreateXML: the port's floor is plugged on the bridge (class ID, floor sum)
   * and a pool device chosen, as for a guest NIC, but no device is created: its owner plugs
   * its own where <plug> says.
   */
  createPort(ref: NetworkRef, def: NetworkPortDef, flags: number): Promise<NetworkPortDef> {
    // RECLAIM (1) and VALIDATE (2); the XML was already read by the API layer.
    checkFlags(flags, 0b11, 'networkPortCreateXML', ErrorDomain.NETWORK);
    return this.serial(async () => {
      const o = this.activeObject(ref);
      await this.allocateOn(o, {
        uuid: def.uuid,
        mac: def.mac,
        owner: def.owner.name,
        ownerUuid: def.owner.uuid,
        createDevice: false,
        ...(def.bandwidth ? { bandwidth: def.bandwidth } : {}),
        ...(def.group ? { portgroup: def.group } : {}),
        ...(def.isolated !== undefined ? { isolated: def.isolated } : {}),
        ...(def.vlan ? { vlan: def.vlan } : {}),
        ...(def.virtualPort ? { virtualPort: def.virtualPort } : {}),
        ...(def.trustGuestRxFilters !== undefined ? { trustGuestRxFilters: def.trustGuestRxFilters } : {}),
      });
      return portDefOf(o.def, o.run, this.portOf(o, def.uuid));
    });
  }

  async listPorts(ref: NetworkRef, flags: number): Promise<NetworkPortDef[]> {
    checkFlags(flags, 0, 'networkListAllPorts', ErrorDomain.NETWORK);
    const o = this.find(ref);
    const run = o.run;
    return run ? Object.values(run.ports ?? {}).map((p) => portDefOf(o.def, run, p)) : [];
  }

  async lookupPort(ref: NetworkRef, uuid: string): Promise<NetworkPortDef> {
    const o = this.find(ref);
    const port = this.portOf(o, uuid);
    return portDefOf(o.def, o.run ?? {}, port);
  }

  /** virNetworkPortDelete: as releasePort (a device this driver created goes too). */
  deletePort(ref: NetworkRef, uuid: string, flags: number): Promise<void> {
    checkFlags(flags, 0, 'networkPortDelete', ErrorDomain.NETWORK);
    return this.serial(async () => {
      const o = this.activeObject(ref);
      const port = this.portOf(o, uuid);
      o.run = await unplugPort(this.ctx.host, o.def, o.run, portKey(port));
      o.def = this.withConnections(o.def, o.run.ports);
      await this.store.saveStatus(o);
    });
  }

  /** The bandwidth accounting of an active network: class IDs in use and the floor sum. */
  async getBandwidthState(networkName: string): Promise<{ classIds: number[]; floorSum: number }> {
    const run = this.findByName(networkName).run;
    return { classIds: [...(run?.classIds ?? [])], floorSum: run?.floorSum ?? 0 };
  }

  /**
   * After a restart, as libvirt's driver does: a network whose bridge is gone is no longer
   * active, and a network whose dnsmasq died gets a new one.
   */
  async reconcile(): Promise<void> {
    for (const o of [...this.objects]) {
      if (!o.active || !o.run) continue;
      const bridge = o.run.bridge;
      if (bridge && !(await this.ctx.host.linkExists(bridge))) {
        // What is left of it (rules, dnsmasq) goes too.
        await stopNetwork(o.def, o.run ?? {}, this.ctx);
        await this.store.deleteStatus(o.def);
        o.active = false;
        o.run = undefined;
        if (o.newDef) {
          o.def = o.newDef;
          o.newDef = undefined;
        }
        if (!o.persistent) this.objects.splice(this.objects.indexOf(o), 1);
        continue;
      }
      // Ports whose device vanished while the driver was away give back their class and floor.
      // (A port whose owner plugs its own device has none of ours to look for.)
      for (const port of Object.values(o.run?.ports ?? {})) {
        if (o.run && port.ifname && !(await this.ctx.host.linkExists(port.ifname))) {
          o.run = await unplugPort(this.ctx.host, o.def, o.run, port.ifname);
          o.def = this.withConnections(o.def, o.run.ports);
          await this.store.saveStatus(o);
        }
      }
      const pid = o.run?.dnsmasqPid;
      if (pid !== undefined && !(await isDnsmasqRunning(pid, o.def, this.ctx.dnsmasq))) {
        o.run = { ...o.run, dnsmasqPid: await startDnsmasq(this.ctx.host, o.def, this.ctx.dnsmasq) };
        await this.store.saveStatus(o);
      }
    }
  }

  /** Starts the persistent networks marked autostart that are not running (at driver start). */
  async autostart(): Promise<void> {
    for (const o of this.objects) {
      if (o.autostart && !o.active) {
        try {
          await this.activate(o);
        } catch {
          // as libvirt: a network that fails to autostart is left inactive
        }
      }
    }
  }
}
