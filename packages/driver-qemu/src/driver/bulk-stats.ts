/**
 * virConnectGetAllDomainStats / virDomainListGetStats as libvirt 9.0's qemu driver answers them
 * for qemu:///session and embed (no cgroups): the groups in libvirt's order, each figure typed as
 * libvirt types it, read from QEMU's monitor and from /proc and /sys for the guest's process.
 */
import {
  type BulkDomainStats,
  checkFlags,
  type DomainRef,
  type DomainStatsRecordRef,
  DomainStatsTypes,
  ErrorCode,
  ErrorDomain,
  GET_ALL_DOMAIN_STATS_FLAGS,
  GET_ALL_DOMAIN_STATS_LIST_FILTERS,
  GetAllDomainStatsFlags,
  type StatsParam,
} from '@tsvirt/core';
import { type BlockFigures, collectBlock } from './bulk-stats-block.js';
import { isActive, type QemuDomainObj } from './domain-object.js';
import type { QemuDomains } from './domains.js';
import { qemuError } from './errors.js';
import type { QemuMonitor } from './monitor.js';
import { readProcTimes, readRunDelay, readWaitSum } from './proc-stats.js';
import { hostCounters } from './stats.js';

/** What a group collector sees of one domain. */
interface Subject {
  d: QemuDomainObj;
  /** Set while QEMU runs and its monitor is connected. */
  live?: { pid: number; monitor: QemuMonitor };
  backing: boolean;
}

type Collector = (s: Subject) => Promise<StatsParam[]>;

const ullong = (field: string, value: bigint): StatsParam => ({ field, type: 'ullong', value });
const uint = (field: string, value: number): StatsParam => ({ field, type: 'uint', value });
const int = (field: string, value: number): StatsParam => ({ field, type: 'int', value });

/**
 * libvirt 9.0's groups in its order. perf, iothread, memory (resctrl bandwidth) and vm (QEMU's
 * query-stats) are known bits that yield nothing for the guests this driver runs (no perf events,
 * iothreads or resctrl groups, and TCG has no query-stats figures), as libvirtd answers here.
 */
const GROUPS: readonly { bit: number; collect: Collector }[] = [
  { bit: DomainStatsTypes.STATE, collect: stateStats },
  { bit: DomainStatsTypes.CPU_TOTAL, collect: cpuStats },
  { bit: DomainStatsTypes.BALLOON, collect: balloonStats },
  { bit: DomainStatsTypes.VCPU, collect: vcpuStats },
  { bit: DomainStatsTypes.INTERFACE, collect: interfaceStats },
  { bit: DomainStatsTypes.BLOCK, collect: blockStats },
  { bit: DomainStatsTypes.PERF, collect: async () => [] },
  { bit: DomainStatsTypes.IOTHREAD, collect: async () => [] },
  { bit: DomainStatsTypes.MEMORY, collect: async () => [] },
  { bit: DomainStatsTypes.DIRTYRATE, collect: dirtyRateStats },
  { bit: DomainStatsTypes.VM, collect: async () => [] },
];
const SUPPORTED = GROUPS.reduce((all, g) => all | g.bit, 0);

export class QemuBulkStats implements BulkDomainStats {
  constructor(private readonly domains: QemuDomains) {}

  async getAllDomainStats(refs: readonly DomainRef[] | undefined, stats: number, flags: number) {
    checkFlags(flags >>> 0, GET_ALL_DOMAIN_STATS_FLAGS, 'qemuConnectGetAllDomainStats', ErrorDomain.QEMU);
    const unsupported = (stats & ~SUPPORTED) >>> 0;
    if (flags & GetAllDomainStatsFlags.ENFORCE_STATS && unsupported !== 0) {
      throw qemuError(
        ErrorCode.ARGUMENT_UNSUPPORTED,
        `Stats types bits 0x${unsupported.toString(16)} are not supported by this daemon or QEMU`,
      );
    }
    const wanted = stats === 0 ? SUPPORTED : stats & SUPPORTED;
    const filter = flags & GET_ALL_DOMAIN_STATS_LIST_FILTERS;
    const selected = refs === undefined ? await this.domains.list(filter) : await this.pick(refs, filter);
    const backing = (flags & GetAllDomainStatsFlags.BACKING) !== 0;
    const records: DomainStatsRecordRef[] = [];
    for (const ref of selected) {
      let d: QemuDomainObj;
      try {
        d = this.domains.find(ref);
      } catch {
        continue; // undefined meanwhile
      }
      const monitor = isActive(d) ? d.process?.monitor : undefined;
      const subject: Subject = { d, backing, live: monitor && d.process ? { pid: d.process.pid, monitor } : undefined };
      const params: StatsParam[] = [];
      for (const g of GROUPS) if (wanted & g.bit) params.push(...(await g.collect(subject)));
      records.push({ ref, params });
    }
    return records;
  }

  /** The given domains that still exist and pass the list filter, in the caller's order (repeats kept). */
  private async pick(refs: readonly DomainRef[], filter: number): Promise<DomainRef[]> {
    const passing = new Map((await this.domains.list(filter)).map((r) => [r.uuid, r]));
    return refs.flatMap((r) => {
      const found = passing.get(r.uuid);
      return found ? [found] : [];
    });
  }
}

async function stateStats({ d }: Subject): Promise<StatsParam[]> {
  return [int('state.state', d.state), int('state.reason', d.reason)];
}

/**
 * Without cgroups (session, embed) libvirt reads the QEMU process's /proc/PID/stat. For a shut-off
 * guest it has no PID and reads its own process instead, so the figures are the daemon's: done
 * the same here.
 */
async function cpuStats({ live }: Subject): Promise<StatsParam[]> {
  const times = await readProcTimes(live ? live.pid : 'self');
  if (!times) return [];
  const out = [ullong('cpu.time', times.total), ullong('cpu.user', times.user), ullong('cpu.system', times.system)];
  // No resctrl monitors, and TCG guests have no KVM halt-polling: libvirt reports zeros for both.
  if (live) {
    out.push(
      uint('cpu.cache.monitor.count', 0),
      ullong('cpu.haltpoll.success.time', 0n),
      ullong('cpu.haltpoll.fail.time', 0n),
    );
  }
  return out;
}

/** QEMU's guest-stats names, in the order libvirt reports them, and whether they are bytes (reported in KiB). */
const GUEST_BALLOON_STATS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['stat-swap-in', 'swap_in', false],
  ['stat-swap-out', 'swap_out', false],
  ['stat-major-faults', 'major_fault', false],
  ['stat-minor-faults', 'minor_fault', false],
  ['stat-free-memory', 'unused', true],
  ['stat-total-memory', 'available', true],
  ['stat-available-memory', 'usable', true],
];
const GUEST_BALLOON_STATS_TAIL: ReadonlyArray<readonly [string, string, boolean]> = [
  ['stat-disk-caches', 'disk_caches', true],
  ['stat-htlb-pgalloc', 'hugetlb_pgalloc', false],
  ['stat-htlb-pgfail', 'hugetlb_pgfail', false],
];

async function balloonStats({ d, live }: Subject): Promise<StatsParam[]> {
  const def = d.def;
  const balloon = def.devices.memballoon;
  const hasBalloon = balloon !== undefined && balloon.model !== 'none';
  // Without a balloon the guest always has all of its memory (libvirt ignores currentMemory then).
  let current = BigInt(hasBalloon && def.currentMemory && def.currentMemory > 0 ? def.currentMemory : def.memory);
  if (live && hasBalloon) {
    try {
      const info = await live.monitor.execute<{ actual: number }>('query-balloon');
      current = BigInt(info.actual) / 1024n;
    } catch {
      // no balloon device in QEMU after all: the definition's figure stands
    }
  }
  const out = [ullong('balloon.current', current), ullong('balloon.maximum', BigInt(def.memory))];
  if (!live) return out;
  if (hasBalloon && balloon.model?.startsWith('virtio')) out.push(...(await guestBalloonStats(live.monitor)));
  const times = await readProcTimes(live.pid);
  if (times) out.push(ullong('balloon.rss', times.rssKiB));
  return out;
}

/** What the guest's balloon driver last told QEMU; figures it did not give are left out, as libvirt does. */
async function guestBalloonStats(monitor: QemuMonitor): Promise<StatsParam[]> {
  let reply: { stats?: Record<string, number>; 'last-update'?: number };
  try {
    const path = await balloonQomPath(monitor);
    if (!path) return [];
    reply = await monitor.execute('qom-get', { path, property: 'guest-stats' });
  } catch {
    return [];
  }
  const stats = reply.stats ?? {};
  const pick = (list: typeof GUEST_BALLOON_STATS) =>
    list.flatMap(([key, name, bytes]) => {
      const v = stats[key];
      // QEMU marks a figure the guest has not (yet) given as 2^64-1.
      if (typeof v !== 'number' || v < 0 || v >= 2 ** 63) return [];
      return [ullong(`balloon.${name}`, bytes ? BigInt(v) / 1024n : BigInt(v))];
    });
  const lastUpdate = reply['last-update'];
  return [
    ...pick(GUEST_BALLOON_STATS),
    ...(typeof lastUpdate === 'number' ? [ullong('balloon.last-update', BigInt(lastUpdate))] : []),
    ...pick(GUEST_BALLOON_STATS_TAIL),
  ];
}

/** The QOM path of the virtio balloon device (libvirt looks it up the same way, by type). */
async function balloonQomPath(monitor: QemuMonitor): Promise<string | undefined> {
  const direct = '/machine/peripheral/balloon0';
  const kids = await monitor.execute<{ name: string; type: string }[]>('qom-list', { path: '/machine/peripheral' });
  const found = kids.find((k) => k.type.startsWith('child<virtio-balloon'));
  return found ? `/machine/peripheral/${found.name}` : kids.some((k) => k.name === 'balloon0') ? direct : undefined;
}

/** query-cpus-fast's part libvirt uses: which vCPU runs in which host thread. */
interface QmpCpuFast {
  'cpu-index': number;
  'thread-id': number;
}

async function vcpuStats({ d, live }: Subject): Promise<StatsParam[]> {
  const out = [uint('vcpu.current', d.def.vcpu.current ?? d.def.vcpu.count), uint('vcpu.maximum', d.def.vcpu.count)];
  if (!live) return out;
  let cpus: QmpCpuFast[];
  try {
    cpus = await live.monitor.execute<QmpCpuFast[]>('query-cpus-fast');
  } catch {
    return out;
  }
  for (const cpu of [...cpus].sort((a, b) => a['cpu-index'] - b['cpu-index'])) {
    const n = cpu['cpu-index'];
    const tid = cpu['thread-id'];
    const times = await readProcTimes(live.pid, tid);
    out.push(
      int(`vcpu.${n}.state`, 1), // VIR_VCPU_RUNNING: every vCPU QEMU lists is online
      ullong(`vcpu.${n}.time`, times?.total ?? 0n),
      ullong(`vcpu.${n}.wait`, await readWaitSum(live.pid, tid)),
      ullong(`vcpu.${n}.delay`, await readRunDelay(live.pid, tid)),
    );
  }
  return out;
}

/**
 * A running guest's NICs: the count of all of them, then the counters of those with a host-side
 * tap (user-mode and vhost-user NICs have none), seen from the guest: the tap's rx is its tx.
 */
async function interfaceStats({ d, live }: Subject): Promise<StatsParam[]> {
  if (!live) return [];
  const nets = d.def.devices.interfaces;
  const out = [uint('net.count', nets.length)];
  for (const [i, net] of nets.entries()) {
    const ifname = net.target?.dev;
    if (!ifname || net.type === 'user' || net.type === 'vhostuser') continue;
    let host: Awaited<ReturnType<typeof hostCounters>>;
    try {
      host = await hostCounters(ifname);
    } catch {
      continue;
    }
    const p = `net.${i}`;
    out.push(
      { field: `${p}.name`, type: 'string', value: ifname },
      ullong(`${p}.rx.bytes`, host.tx_bytes),
      ullong(`${p}.rx.pkts`, host.tx_packets),
      ullong(`${p}.rx.errs`, host.tx_errors),
      ullong(`${p}.rx.drop`, host.tx_dropped),
      ullong(`${p}.tx.bytes`, host.rx_bytes),
      ullong(`${p}.tx.pkts`, host.rx_packets),
      ullong(`${p}.tx.errs`, host.rx_errors),
      ullong(`${p}.tx.drop`, host.rx_dropped),
    );
  }
  return out;
}

async function blockStats({ d, live, backing }: Subject): Promise<StatsParam[]> {
  const figures: BlockFigures[] = await collectBlock(d.def, live?.monitor, backing);
  const out = [uint('block.count', figures.length)];
  for (const [i, f] of figures.entries()) {
    const p = `block.${i}`;
    out.push({ field: `${p}.name`, type: 'string', value: f.name });
    if (f.path !== undefined) out.push({ field: `${p}.path`, type: 'string', value: f.path });
    if (f.backingIndex !== undefined) out.push(uint(`${p}.backingIndex`, f.backingIndex));
    if (f.io) {
      const io = f.io;
      out.push(
        ullong(`${p}.rd.reqs`, io.rdReqs),
        ullong(`${p}.rd.bytes`, io.rdBytes),
        ullong(`${p}.rd.times`, io.rdTimes),
        ullong(`${p}.wr.reqs`, io.wrReqs),
        ullong(`${p}.wr.bytes`, io.wrBytes),
        ullong(`${p}.wr.times`, io.wrTimes),
        ullong(`${p}.fl.reqs`, io.flReqs),
        ullong(`${p}.fl.times`, io.flTimes),
      );
    }
    if (f.allocation !== undefined) out.push(ullong(`${p}.allocation`, f.allocation));
    if (f.capacity !== undefined) out.push(ullong(`${p}.capacity`, f.capacity));
    if (f.physical !== undefined) out.push(ullong(`${p}.physical`, f.physical));
  }
  return out;
}

/** query-dirty-rate's answer; libvirt names its status as a number (unstarted 0, measuring 1, measured 2). */
interface QmpDirtyRate {
  status: string;
  'start-time': number;
  'calc-time': number;
  mode?: string;
  'dirty-rate'?: number;
}
const DIRTY_RATE_STATUS: Record<string, number> = { unstarted: 0, measuring: 1, measured: 2 };

async function dirtyRateStats({ live }: Subject): Promise<StatsParam[]> {
  if (!live) return [];
  let info: QmpDirtyRate;
  try {
    info = await live.monitor.execute<QmpDirtyRate>('query-dirty-rate');
  } catch {
    return [];
  }
  const out: StatsParam[] = [
    int('dirtyrate.calc_status', DIRTY_RATE_STATUS[info.status] ?? 0),
    { field: 'dirtyrate.calc_start_time', type: 'llong', value: BigInt(info['start-time']) },
    int('dirtyrate.calc_period', info['calc-time']),
  ];
  if (info.mode) out.push({ field: 'dirtyrate.calc_mode', type: 'string', value: info.mode });
  if (info.status === 'measured' && typeof info['dirty-rate'] === 'number') {
    out.push({ field: 'dirtyrate.megabytes_per_second', type: 'llong', value: BigInt(info['dirty-rate']) });
  }
  return out;
}
