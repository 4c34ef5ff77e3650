/**
 * Guest ports: what the hypervisor drivers ask of a network for an <interface type='network'>.
 * A network with a bridge (its own, or a host bridge in forward mode 'bridge') gets a tap on
 * it; a macvtap pool (bridge with dev, private, vepa, passthrough) a macvtap on one of its
 * devices. The port's own <bandwidth> goes on its device; its inbound `floor` becomes a
 * guaranteed class on the network's bridge (class ID from the network's bitmap), with class
 * 1:2 (traffic without a floor) lowered by the new floor sum.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type NetworkDef } from '@tsvirt/core';
import { runTcSteps } from '../bandwidth/apply.js';
import { applyPortBandwidth } from '../bandwidth/device.js';
import { checkFloor, firstFreeClassId, hasFloor } from '../bandwidth/floor.js';
import { plugSteps, unplugSteps, updateRateStep } from '../bandwidth/tc-commands.js';
import { internalError, networkError } from '../errors.js';
import type { Bandwidth } from '../model.js';
import { type Host, linkNames } from './host.js';
import { registerPortMac } from './mac-table.js';
import { portKey } from './port-objects.js';
import { ownsBridge, type PortRecord, type RunState } from './start.js';

export interface PortRequest {
  /** The guest NIC's MAC address. */
  readonly mac: string;
  /** The interface's own <bandwidth> (inbound floor guaranteed on the network's bridge). */
  readonly bandwidth?: Bandwidth;
  /** A <portgroup> of the network; its bandwidth applies when the port has none. */
  readonly portgroup?: string;
  /** Device name wanted (e.g. from <target dev>); else the next free vnetN / macvtapN. */
  readonly ifname?: string;
  /** The interface's <port isolated>; when absent the network's own setting applies. */
  readonly isolated?: boolean;
  /** Who uses the port (a domain name), recorded in the network's MAC list. */
  readonly owner?: string;
  readonly ownerUuid?: string;
  /** The port object's UUID (given through the port API); else a new one. */
  readonly uuid?: string;
  /**
   * false: the port's owner plugs its own device (the port API, as libvirt's): only the
   * bandwidth floor on the bridge and the pool device are allocated; nothing is created.
   */
  readonly createDevice?: boolean;
  /** Carried in the port object only. */
  readonly vlan?: PortRecord['vlan'];
  readonly virtualPort?: PortRecord['virtualPort'];
  readonly trustGuestRxFilters?: boolean;
}

export interface AllocatedPort {
  /** The port object's UUID. */
  readonly uuid: string;
  /** The device created for it ('' when its owner plugs its own). */
  readonly ifname: string;
  readonly type: 'tap' | 'macvtap';
  /** The bridge a tap is on. */
  readonly bridge?: string;
  /** A macvtap's lower device. */
  readonly device?: string;
  readonly classId?: number;
  /** Warnings from tc fallbacks on this kernel. */
  readonly warnings: readonly string[];
}

const MACVTAP_MODES: Record<string, string> = {
  bridge: 'bridge',
  private: 'private',
  vepa: 'vepa',
  passthrough: 'passthru',
};

/** Where a port of this network goes: a bridge (tap), or a pool of devices (macvtap). */
function attachment(def: NetworkDef, run: RunState): { bridge: string } | { pool: string[]; mode: string } {
  const mode = def.forward?.mode;
  if (ownsBridge(def)) {
    if (!run.bridge) throw internalError(`network '${def.name}' has no bridge name defined`);
    return { bridge: run.bridge };
  }
  if (mode === 'bridge' && def.bridge?.name) return { bridge: def.bridge.name };
  if (mode !== undefined && mode in MACVTAP_MODES) {
    const pool = (def.forward?.interfaces ?? []).map((i) => i.dev);
    if (pool.length === 0) {
      throw networkError(
        ErrorCode.INTERNAL_ERROR,
        `network '${def.name}' uses a direct mode, but has no forward dev and no interface pool`,
      );
    }
    return { pool, mode: MACVTAP_MODES[mode]! };
  }
  throw networkError(ErrorCode.CONFIG_UNSUPPORTED, `Unsupported network forward mode '${mode}' for a port`);
}

async function freeName(host: Host, prefix: string, taken: Iterable<string>): Promise<string> {
  const used = await linkNames(host);
  for (const t of taken) used.add(t);
  for (let i = 0; i < 1 << 16; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
  throw internalError(`no free ${prefix}N device name`);
}

/** libvirt gives the host side of a tap the guest's MAC with 0xfe first, so the bridge never takes it. */
const tapMac = (mac: string): string => `fe${mac.slice(2)}`;

/**
 * The port's own bandwidth, else its port group's (the default group when it names none). A
 * group the network does not define gives nothing and is no error: libvirt 9.0's network driver
 * accepts such a port (checked against a real libvirtd in port-libvirtd.test.ts).
 */
function effectiveBandwidth(def: NetworkDef, req: PortRequest): Bandwidth | undefined {
  if (req.bandwidth) return req.bandwidth;
  const pg = req.portgroup
    ? def.portGroups.find((p) => p.name === req.portgroup)
    : def.portGroups.find((p) => p.default);
  return pg?.bandwidth;
}

export interface PortChange {
  readonly run: RunState;
  readonly port: AllocatedPort;
}

/** Creates and plugs a port; on failure nothing is left behind. Returns the network's new run state. */
export async function plugPort(host: Host, def: NetworkDef, run: RunState, req: PortRequest): Promise<PortChange> {
  const mac = req.mac.toLowerCase();
  const ports = run.ports ?? {};
  const uuid = req.uuid ?? randomUUID();
  if (Object.values(ports).some((p) => p.uuid === uuid)) {
    throw networkError(ErrorCode.NETWORK_PORT_EXIST, `Network port with UUID ${uuid} already exists`);
  }
  if (Object.values(ports).some((p) => p.mac === mac)) {
    throw networkError(ErrorCode.OPERATION_INVALID, `MAC address '${mac}' is already in use on network '${def.name}'`);
  }
  const where = attachment(def, run);
  const bandwidth = effectiveBandwidth(def, req);
  const withDevice = req.createDevice !== false;
  const floorSum = run.floorSum ?? 0;
  // Checked before any device exists, so a refusal changes nothing.
  const ceiling = 'bridge' in where ? checkFloor(def, mac, bandwidth, floorSum) : undefined;
  if ('pool' in where && hasFloor(bandwidth)) checkFloor(def, mac, bandwidth, floorSum);

  const taken = Object.values(ports).map((p) => p.ifname);
  const ifname = !withDevice
    ? ''
    : (req.ifname ?? (await freeName(host, 'bridge' in where ? 'vnet' : 'macvtap', taken)));
  if (withDevice && (taken.includes(ifname) || (await host.linkExists(ifname)))) {
    throw internalError(`Unable to create device ${ifname}: File exists`);
  }
  let device: string | undefined;
  let plugged: number | undefined;
  try {
    if ('bridge' in where && withDevice) {
      await host.run(['ip', 'tuntap', 'add', 'dev', ifname, 'mode', 'tap']);
      await host.run(['ip', 'link', 'set', 'dev', ifname, 'address', tapMac(mac)]);
      await host.run(['ip', 'link', 'set', 'dev', ifname, 'master', where.bridge]);
      await registerPortMac(host, def, ifname, mac);
      // An isolated port reaches only ports that are not isolated (the bridge's uplinks).
      if (req.isolated ?? def.isolatedPort) await host.run(['bridge', 'link', 'set', 'dev', ifname, 'isolated', 'on']);
    } else if ('pool' in where) {
      // The least used device of the pool (passthrough: an unused one only).
      const use = (d: string) => Object.values(ports).filter((p) => p.attachedTo === d).length;
      const candidates = where.pool.filter((d) => where.mode !== 'passthru' || use(d) === 0);
      device = candidates.sort((a, b) => use(a) - use(b))[0];
      if (!device) {
        throw internalError(`network '${def.name}' requires exclusive access to interfaces, but none are available`);
      }
      if (withDevice)
        await host.run([
          'ip',
          'link',
          'add',
          'link',
          device,
          'name',
          ifname,
          'address',
          mac,
          'type',
          'macvtap',
          'mode',
          where.mode,
        ]);
    }
    if (withDevice) await host.run(['ip', 'link', 'set', 'dev', ifname, 'up']);
    const warnings: string[] = [];
    if (bandwidth && withDevice) {
      warnings.push(...(await applyPortBandwidth(host, ifname, bandwidth, 'bridge' in where)));
    }
    let classId: number | undefined;
    let classIds = [...(run.classIds ?? [0, 1, 2])];
    let newSum = floorSum;
    if (ceiling !== undefined && 'bridge' in where && def.bandwidth) {
      classId = firstFreeClassId(classIds);
      const [classStep, ...rest] = plugSteps(where.bridge, def.bandwidth, mac, bandwidth!, classId);
      await runTcSteps([classStep!], (a) => host.run(a));
      plugged = classId; // from here on the class is ours to take back
      warnings.push(...(await runTcSteps(rest, (a) => host.run(a))));
      classIds = [...classIds, classId].sort((a, b) => a - b);
      newSum = floorSum + (bandwidth?.inbound?.floor ?? 0);
      // Traffic without a floor keeps what the floors leave (a failure here is only a warning, as in libvirt).
      try {
        await runTcSteps([updateRateStep(where.bridge, 2, def.bandwidth, ceiling - newSum)], (a) => host.run(a));
      } catch (err) {
        warnings.push(`Unable to update rate for 1:2 class on ${where.bridge} bridge: ${(err as Error).message}`);
      }
    }
    const record: PortRecord = {
      uuid,
      ifname,
      mac,
      type: 'bridge' in where ? 'tap' : 'macvtap',
      attachedTo: 'bridge' in where ? where.bridge : device!,
      ...(bandwidth ? { bandwidth } : {}),
      ...(classId !== undefined ? { classId } : {}),
      ...(req.owner ? { owner: req.owner } : {}),
      ...(req.ownerUuid ? { ownerUuid: req.ownerUuid } : {}),
      ...(req.portgroup ? { group: req.portgroup } : {}),
      ...(req.isolated !== undefined ? { isolated: req.isolated } : {}),
      ...(req.vlan ? { vlan: req.vlan } : {}),
      ...(req.virtualPort ? { virtualPort: req.virtualPort } : {}),
      ...(req.trustGuestRxFilters !== undefined ? { trustGuestRxFilters: req.trustGuestRxFilters } : {}),
    };
    return {
      run: { ...run, classIds, floorSum: newSum, ports: { ...ports, [portKey(record)]: record } },
      port: {
        uuid,
        ifname,
        type: record.type,
        ...('bridge' in where ? { bridge: where.bridge } : { device }),
        ...(classId !== undefined ? { classId } : {}),
        warnings,
      },
    };
  } catch (err) {
    // Whatever of the class was added goes with the device (each removal may find nothing).
    if (plugged !== undefined && 'bridge' in where) {
      await runTcSteps(unplugSteps(where.bridge, plugged), (a) => host.run(a)).catch(() => undefined);
    }
    if (withDevice) await host.run(['ip', 'link', 'del', 'dev', ifname]).catch(() => undefined);
    throw err;
  }
}

/**
 * Takes a port's class off the bridge, deletes its device, gives back its class ID and floor.
 * `key`: the port's device name, or for a port without one its UUID.
 */
export async function unplugPort(host: Host, def: NetworkDef, run: RunState, key: string): Promise<RunState> {
  const ports = { ...(run.ports ?? {}) };
  const port = ports[key];
  if (!port) {
    throw networkError(ErrorCode.NO_NETWORK_PORT, `network '${def.name}' has no port '${key}'`);
  }
  let classIds = run.classIds ?? [0, 1, 2];
  let floorSum = run.floorSum ?? 0;
  if (port.classId !== undefined) {
    await runTcSteps(unplugSteps(port.attachedTo, port.classId), (a) => host.run(a));
    classIds = classIds.filter((id) => id !== port.classId);
    floorSum -= port.bandwidth?.inbound?.floor ?? 0;
    if (def.bandwidth?.inbound) {
      const ceiling = def.bandwidth.inbound.peak || def.bandwidth.inbound.average || 0;
      await runTcSteps([updateRateStep(port.attachedTo, 2, def.bandwidth, ceiling - floorSum)], (a) =>
        host.run(a),
      ).catch(() => undefined);
    }
  }
  if (port.ifname) await host.run(['ip', 'link', 'del', 'dev', port.ifname]).catch(() => undefined);
  delete ports[key];
  return { ...run, classIds, floorSum, ports };
}
