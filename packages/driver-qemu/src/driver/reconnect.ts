/**
 * Taking back guests that kept running while no driver was attached (a restart of the
 * process hosting the driver): each status file names a pid and a monitor socket. A live QEMU
 * is reconnected and followed again, with nothing lost; a dead one is recorded as crashed and
 * its leftovers removed.
 */
import { DomainState, PausedReason, RunningReason } from '@tsvirt/core';
import type { QemuBackends } from './backends.js';
import type { QemuDomainObj, RunningProcess } from './domain-object.js';
import type { DomainTable } from './domain-table.js';
import type { QemuDomains } from './domains.js';
import type { QemuMonitor } from './monitor.js';
import { processAlive, processCommandLine } from './process.js';
import type { DomainStatus } from './status-file.js';

const RECONNECT_TIMEOUT_MS = 5_000;

/** Why QEMU says it is stopped (query-status), as libvirt maps it to a paused reason. */
const PAUSED_REASONS: Record<string, number> = {
  paused: PausedReason.USER,
  'io-error': PausedReason.IOERROR,
  watchdog: PausedReason.WATCHDOG,
  'guest-panicked': PausedReason.CRASHED,
  'save-vm': PausedReason.SAVE,
  'finish-migrate': PausedReason.MIGRATION,
  inmigrate: PausedReason.MIGRATION,
  postmigrate: PausedReason.MIGRATION,
  prelaunch: PausedReason.STARTING_UP,
};

/** Is `pid` still the QEMU we started (pids get reused)? Its command line names our monitor. */
async function isOurQemu(status: DomainStatus): Promise<boolean> {
  if (!processAlive(status.pid)) return false;
  const argv = await processCommandLine(status.pid);
  return argv?.some((arg) => arg.includes(status.monitorPath)) ?? false;
}

export async function reconnectGuests(
  statuses: readonly DomainStatus[],
  table: DomainTable,
  domains: QemuDomains,
  backends: QemuBackends,
  persistentNames: ReadonlySet<string>,
  warn: (message: string) => void,
): Promise<void> {
  for (const status of statuses) {
    let d: QemuDomainObj | undefined = table.all().find((x) => x.def.uuid === status.def.uuid);
    if (!d) {
      d = {
        def: status.def,
        persistent: persistentNames.has(status.def.name),
        autostart: false,
        id: -1,
        state: status.state,
        reason: status.reason,
        hasManagedSave: false,
      };
      table.add(d);
    } else {
      d.newDef = d.def;
      d.def = status.def;
    }
    const id = status.def.id ?? -1;
    table.setId(d, id);
    d.state = status.state;
    d.reason = status.reason;
    const proc: RunningProcess = {
      pid: status.pid,
      monitorPath: status.monitorPath,
      libDir: status.libDir,
      ownStops: 0,
      ownResumes: 0,
    };
    d.process = proc;

    let monitor: QemuMonitor | undefined;
    const alive = await isOurQemu(status);
    if (alive) {
      monitor = await backends.connectMonitor(status.monitorPath, RECONNECT_TIMEOUT_MS).catch(() => undefined);
    }
    if (!alive) {
      await domains.markCrashed(d, status.libDir);
      continue;
    }
    if (!monitor) {
      // QEMU runs but its monitor does not answer: keep it as it is recorded, never as crashed.
      warn(`cannot reconnect to the monitor of running guest '${d.def.name}' (pid ${status.pid})`);
      continue;
    }
    proc.monitor = monitor;
    domains.watch(d, proc);
    // The guest may have been paused, resumed or powered off while nobody watched.
    const qs = await monitor.execute<{ running: boolean; status: string }>('query-status');
    if (qs.status === 'shutdown') {
      await domains.finishGuestShutdown(d, proc);
      continue;
    }
    if (qs.running && d.state !== DomainState.RUNNING) {
      d.state = DomainState.RUNNING;
      d.reason = RunningReason.UNPAUSED;
    } else if (!qs.running && d.state === DomainState.RUNNING) {
      d.state = DomainState.PAUSED;
      d.reason = PAUSED_REASONS[qs.status] ?? PausedReason.UNKNOWN;
    }
    await domains.recordStatus(d);
  }
}
