/**
 * Statistics of a running guest: disk counters from QEMU (query-blockstats), NIC counters from
 * the host side of its tap (the kernel's per-interface statistics, seen from the guest).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BlockStats,
  type BlockStatsParam,
  type DiskDef,
  type DomainDef,
  type DomainRef,
  ErrorCode,
  type InterfaceStats,
} from '@tsvirt/core';
import { assignAliases } from '../command/aliases.js';
import type { DomainTable } from './domain-table.js';
import { notRunning, qemuError } from './errors.js';
import type { QemuMonitor } from './monitor.js';

/** The part of one query-blockstats entry libvirt reports. */
interface QmpBlockStats {
  rd_operations?: number;
  rd_bytes?: number;
  wr_operations?: number;
  wr_bytes?: number;
  flush_operations?: number;
  rd_total_time_ns?: number;
  wr_total_time_ns?: number;
  flush_total_time_ns?: number;
}

interface QmpBlockStatsEntry {
  device?: string;
  qdev?: string;
  'node-name'?: string;
  stats: QmpBlockStats;
}

/** libvirt's order of the virDomainBlockStatsFlags fields and the QMP counter behind each. */
const FIELDS: ReadonlyArray<readonly [string, keyof QmpBlockStats]> = [
  ['rd_operations', 'rd_operations'],
  ['rd_bytes', 'rd_bytes'],
  ['wr_operations', 'wr_operations'],
  ['wr_bytes', 'wr_bytes'],
  ['flush_operations', 'flush_operations'],
  ['rd_total_times', 'rd_total_time_ns'],
  ['wr_total_times', 'wr_total_time_ns'],
  ['flush_total_times', 'flush_total_time_ns'],
];

export class QemuStats {
  constructor(private readonly table: DomainTable) {}

  private running(ref: DomainRef): { def: DomainDef; monitor: QemuMonitor; pid: number } {
    const d = this.table.find({ uuid: ref.uuid });
    const monitor = d.process?.monitor;
    if (d.id < 0 || !d.process || !monitor) throw notRunning();
    return { def: d.def, monitor, pid: d.process.pid };
  }

  async blockStatsFlags(ref: DomainRef, path: string, flags: number): Promise<BlockStatsParam[]> {
    checkStatsFlags(flags);
    const { def, monitor } = this.running(ref);
    // The disk is checked before QEMU is asked, as libvirt does.
    const disks = path === '' ? def.devices.disks : [findDisk(def, path)];
    const entries = await monitor.execute<QmpBlockStatsEntry[]>('query-blockstats');
    const aliases = assignAliases(def);
    const totals = new Map<string, bigint>();
    for (const disk of disks) {
      const alias = disk.info.alias ?? aliases.get(disk) ?? '';
      const entry = findBlockStatsEntry(entries, alias);
      if (!entry) {
        if (path === '') continue;
        throw qemuError(ErrorCode.INTERNAL_ERROR, `cannot find statistics for device '${alias}'`);
      }
      for (const [field, key] of FIELDS) {
        const v = entry.stats[key];
        if (typeof v === 'number') totals.set(field, (totals.get(field) ?? 0n) + BigInt(v));
      }
    }
    return FIELDS.filter(([field]) => totals.has(field)).map(([field]) => ({ field, value: totals.get(field)! }));
  }

  async blockStats(ref: DomainRef, path: string): Promise<BlockStats> {
    const params = await this.blockStatsFlags(ref, path, 0);
    const get = (field: string) => params.find((p) => p.field === field)?.value ?? -1n;
    return {
      rdReq: get('rd_operations'),
      rdBytes: get('rd_bytes'),
      wrReq: get('wr_operations'),
      wrBytes: get('wr_bytes'),
      errs: -1n,
    };
  }

  /** A NIC's host-side counters, swapped: what the host sends into the tap the guest receives. */
  async interfaceStats(ref: DomainRef, device: string): Promise<InterfaceStats> {
    const { def } = this.running(ref);
    const lower = device.toLowerCase();
    const net = def.devices.interfaces.find(
      (n) => (n.target?.dev !== undefined && n.target.dev === device) || n.mac.address.toLowerCase() === lower,
    );
    if (!net) throw qemuError(ErrorCode.INVALID_ARG, `'${device}' is not a known interface`);
    const ifname = net.target?.dev;
    if (net.type === 'user' || net.type === 'vhostuser' || !ifname) {
      throw qemuError(ErrorCode.OPERATION_UNSUPPORTED, `interface stats not implemented on this platform`);
    }
    const host = await hostCounters(ifname);
    return {
      rxBytes: host.tx_bytes,
      rxPackets: host.tx_packets,
      rxErrs: host.tx_errors,
      rxDrop: host.tx_dropped,
      txBytes: host.rx_bytes,
      txPackets: host.rx_packets,
      txErrs: host.rx_errors,
      txDrop: host.rx_dropped,
    };
  }
}

function checkStatsFlags(flags: number): void {
  // VIR_TYPED_PARAM_STRING_OKAY is the only flag libvirt accepts here.
  if (flags & ~4) {
    throw qemuError(
      ErrorCode.INVALID_ARG,
      `unsupported flags (0x${(flags & ~4).toString(16)}) in function qemuDomainBlockStatsFlags`,
    );
  }
}

/** virsh domblkstat accepts a disk's target (vda) or its source path; libvirt says 'invalid path' otherwise. */
function findDisk(def: DomainDef, path: string): DiskDef {
  const disk =
    def.devices.disks.find((d) => d.target.dev === path) ?? def.devices.disks.find((d) => d.source?.path === path);
  if (!disk) throw qemuError(ErrorCode.INVALID_ARG, `invalid path: ${path}`);
  return disk;
}

/** The query-blockstats entry of a disk: its front-end device by alias, as QEMU names it in qdev. */
export function findBlockStatsEntry<E extends { device?: string; qdev?: string }>(
  entries: E[],
  alias: string,
): E | undefined {
  if (alias === '') return undefined;
  return entries.find(
    (e) =>
      e.qdev === `/machine/peripheral/${alias}/virtio-backend` ||
      e.qdev === `/machine/peripheral/${alias}` ||
      // Devices without a QOM path of their own (an IDE CD-ROM) give their id.
      e.qdev === alias ||
      e.device === `drive-${alias}`,
  );
}

type HostCounter =
  | 'rx_bytes'
  | 'rx_packets'
  | 'rx_errors'
  | 'rx_dropped'
  | 'tx_bytes'
  | 'tx_packets'
  | 'tx_errors'
  | 'tx_dropped';

export async function hostCounters(ifname: string): Promise<Record<HostCounter, bigint>> {
  const names: HostCounter[] = [
    'rx_bytes',
    'rx_packets',
    'rx_errors',
    'rx_dropped',
    'tx_bytes',
    'tx_packets',
    'tx_errors',
    'tx_dropped',
  ];
  const out = {} as Record<HostCounter, bigint>;
  for (const name of names) {
    try {
      out[name] = BigInt((await readFile(join('/sys/class/net', ifname, 'statistics', name), 'utf8')).trim());
    } catch (err) {
      throw qemuError(ErrorCode.INTERNAL_ERROR, `Interface '${ifname}' not found`, err);
    }
  }
  return out;
}
