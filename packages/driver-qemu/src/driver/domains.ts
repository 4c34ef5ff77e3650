/**
 * The guest life cycle for real QEMU processes: define/undefine, start (spawn with -S, QMP
 * handshake, cont), pause/resume, ACPI shutdown and reboot, destroy, autostart, and the state
 * changes QEMU reports through monitor events. Every operation on one guest runs as a job under
 * that guest's lock.
 */

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CrashedReason,
  checkFlags,
  type DomainDef,
  DomainEventDetail,
  DomainEventType,
  type DomainInfo,
  type DomainLifecycle,
  type DomainLookup,
  type DomainRef,
  DomainState,
  type DomainStateInfo,
  DomainXmlFlags,
  type DriverEvent,
  domainMatchesListFlags,
  ErrorCode,
  ErrorDomain,
  hasFlag,
  type NetworkDriver,
  PausedReason,
  RunningReason,
  ShutdownReason,
  ShutoffReason,
  UndefineFlags,
} from '@tsvirt/core';
import { type CommandContext, DEFAULT_EMULATOR, type QemuBackends } from './backends.js';
import type { ConfigStore } from './config-store.js';
import { isActive, persistentDef, type QemuDomainObj, type RunningProcess, refOf } from './domain-object.js';
import type { DomainTable } from './domain-table.js';
import { notRunning, qemuError } from './errors.js';
import { JobLocks } from './job-lock.js';
import { decorateLiveDef, ptysFromQueryChardev } from './live-def.js';
import { getQemuMetadata, setQemuMetadata } from './metadata.js';
import { migrateFromFile } from './migration-stream.js';
import type { QemuMonitor } from './monitor.js';
import { plugNetworkInterfaces, unplugNetworkInterfaces } from './network-ports.js';
import { domainLibDir, type QemuPaths } from './paths.js';
import { mkdirPrivate } from './private-dir.js';
import { killProcess, launchQemu } from './process.js';
import type { SaveImageHeader } from './save-image.js';
import { managedSavePath, type QemuSaveRestore } from './save-restore.js';
import type { QemuSnapshots } from './snapshots.js';
import type { StatusFiles } from './status-file.js';
import { runCpus } from './vcpus.js';

/** virDomainCreateFlags bits this driver honours. */
export const CreateFlags = { PAUSED: 1 << 0, AUTODESTROY: 1 << 1, BYPASS_CACHE: 1 << 2, FORCE_BOOT: 1 << 3 } as const;
/** virDomainDestroyFlags. */
export const DestroyFlags = { GRACEFUL: 1 << 0 } as const;

const MONITOR_TIMEOUT_MS = 30_000;
const CLOCK_TICKS_PER_SECOND = 100;

export interface QemuDomainsDeps {
  readonly paths: QemuPaths;
  readonly table: DomainTable;
  readonly configs: ConfigStore;
  readonly status: StatusFiles;
  readonly backends: QemuBackends;
  readonly emit: (event: DriverEvent) => void;
  /** A network namespace QEMU runs in (`config.netns`), as the network driver's commands do. */
  readonly netns?: string;
  /** Domain XML to a definition and back, as the driver stores it (for save images). */
  readonly parseDef: (xml: string) => DomainDef;
  readonly formatDef: (def: DomainDef) => string;
}

/** What a start runs instead of the stored definition. */
export interface StartFrom {
  /** A new definition (createXML over a defined guest). */
  readonly def?: DomainDef;
  readonly restore?: RestoreSource;
  /** An internal snapshot to load. */
  readonly loadvm?: string;
}

/** What a start from a save image needs: the definition it holds and where its stream is. */
export interface RestoreSource {
  readonly def: DomainDef;
  readonly path: string;
  readonly header: SaveImageHeader;
}

export class QemuDomains implements DomainLifecycle {
  private readonly jobs = new JobLocks();
  /** The shared network driver, for <interface type='network'> (set by the connection). */
  network: NetworkDriver | undefined;
  /** Set by the driver state: starts from and removal of managed-save images. */
  saveRestore?: QemuSaveRestore;
  /** Set by the driver state: snapshot metadata, for list filters and undefine. */
  snapshots?: QemuSnapshots;

  constructor(private readonly deps: QemuDomainsDeps) {}

  // ----- lookups -----

  find(ref: DomainRef): QemuDomainObj {
    return this.deps.table.find({ uuid: ref.uuid });
  }

  async list(flags: number): Promise<DomainRef[]> {
    const all = this.deps.table.all();
    const counts = await Promise.all(all.map((d) => this.snapshots?.countOf(d.def.name) ?? 0));
    return all
      .filter((d, i) =>
        domainMatchesListFlags(flags, {
          active: isActive(d),
          persistent: d.persistent,
          state: d.state,
          autostart: d.autostart,
          hasManagedSave: d.hasManagedSave,
          snapshotCount: counts[i] ?? 0,
        }),
      )
      .map(refOf);
  }

  async lookup(by: DomainLookup): Promise<DomainRef> {
    return refOf(this.deps.table.find(by));
  }

  async getXml(ref: DomainRef, flags: number): Promise<DomainDef> {
    const d = this.find(ref);
    if (hasFlag(flags, DomainXmlFlags.INACTIVE)) return persistentDef(d);
    return isActive(d) ? { ...d.def, id: d.id } : d.def;
  }

  /** @internal for save-restore.ts */
  emit(d: QemuDomainObj, event: number, detail: number): void {
    this.deps.emit({ kind: 'domain-lifecycle', domain: refOf(d), event, detail });
  }

  /** @internal for save-restore.ts: every operation on one guest runs under its lock. */
  job<T>(d: QemuDomainObj, work: () => Promise<T>): Promise<T> {
    return this.jobs.run(d.def.uuid, work);
  }

  /** Store a new persistent definition (hotplug with AFFECT_CONFIG); a running guest takes it at next boot. */
  async storeConfig(d: QemuDomainObj, def: DomainDef): Promise<void> {
    const inactive = { ...def, id: undefined };
    await this.deps.configs.save(inactive);
    if (isActive(d)) d.newDef = inactive;
    else d.def = inactive;
  }

  /** A definition kept in a save image, read back; and the form written there. */
  parseSaved(xml: string): DomainDef {
    return this.deps.parseDef(xml);
  }
  formatSaved(def: DomainDef): string {
    return this.deps.formatDef(def);
  }

  // ----- definitions -----

  /** A definition with the qemu driver's defaults and addresses, checked against its emulator. */
  async prepared(def: DomainDef): Promise<DomainDef> {
    const caps = await this.deps.backends.capsFor(def.devices.emulator ?? DEFAULT_EMULATOR);
    return this.deps.backends.prepare(def, caps);
  }

  async defineXml(def: DomainDef, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, 'qemuDomainDefineXMLFlags', ErrorDomain.QEMU);
    // The emulator must be usable before a definition is accepted, as in libvirt.
    def = await this.prepared(def);
    const existing = this.deps.table.checkClash(def, false);
    const inactive = { ...def, id: undefined };
    await this.deps.configs.save(inactive);
    if (existing) {
      if (isActive(existing)) existing.newDef = inactive;
      else existing.def = inactive;
      existing.persistent = true;
      this.emit(existing, DomainEventType.DEFINED, DomainEventDetail.DEFINED.UPDATED);
      return refOf(existing);
    }
    const d: QemuDomainObj = {
      def: inactive,
      persistent: true,
      autostart: false,
      id: -1,
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.UNKNOWN,
      hasManagedSave: false,
    };
    this.deps.table.add(d);
    this.emit(d, DomainEventType.DEFINED, DomainEventDetail.DEFINED.ADDED);
    return refOf(d);
  }

  async undefine(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(
      flags,
      UndefineFlags.MANAGED_SAVE | UndefineFlags.SNAPSHOTS_METADATA | UndefineFlags.NVRAM | UndefineFlags.KEEP_NVRAM,
      'qemuDomainUndefineFlags',
      ErrorDomain.QEMU,
    );
    const d = this.find(ref);
    await this.job(d, async () => {
      if (!d.persistent) throw qemuError(ErrorCode.OPERATION_INVALID, 'cannot undefine transient domain');
      if (d.hasManagedSave && !hasFlag(flags, UndefineFlags.MANAGED_SAVE)) {
        throw qemuError(ErrorCode.OPERATION_INVALID, 'Refusing to undefine while domain managed save image exists');
      }
      const snapshots = (await this.snapshots?.countOf(d.def.name)) ?? 0;
      if (snapshots > 0 && !isActive(d) && !hasFlag(flags, UndefineFlags.SNAPSHOTS_METADATA)) {
        throw qemuError(ErrorCode.OPERATION_INVALID, `cannot delete inactive domain with ${snapshots} snapshots`);
      }
      if (snapshots > 0 && hasFlag(flags, UndefineFlags.SNAPSHOTS_METADATA)) {
        await this.snapshots?.dropMetadata(d.def.name);
      }
      await this.deps.configs.remove(d.def.name);
      if (d.hasManagedSave) {
        await rm(managedSavePath(this.deps.paths, d.def.name), { force: true });
        d.hasManagedSave = false;
      }
      d.autostart = false;
      this.emit(d, DomainEventType.UNDEFINED, DomainEventDetail.UNDEFINED.REMOVED);
      if (isActive(d)) {
        // A running guest stays, as a transient one, until it stops.
        d.persistent = false;
        d.newDef = undefined;
      } else {
        this.deps.table.remove(d);
      }
    });
  }

  async getAutostart(ref: DomainRef): Promise<boolean> {
    return this.find(ref).autostart;
  }

  async setAutostart(ref: DomainRef, autostart: boolean): Promise<void> {
    const d = this.find(ref);
    if (!d.persistent) throw qemuError(ErrorCode.OPERATION_INVALID, 'cannot set autostart for transient domain');
    await this.deps.configs.setAutostart(d.def.name, autostart);
    d.autostart = autostart;
  }

  async isActive(ref: DomainRef): Promise<boolean> {
    return isActive(this.find(ref));
  }

  async isPersistent(ref: DomainRef): Promise<boolean> {
    return this.find(ref).persistent;
  }

  async isUpdated(ref: DomainRef): Promise<boolean> {
    return this.find(ref).newDef !== undefined;
  }

  async hasManagedSaveImage(ref: DomainRef, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'qemuDomainHasManagedSaveImage', ErrorDomain.QEMU);
    return this.find(ref).hasManagedSave;
  }

  async setMetadata(
    ref: DomainRef,
    type: number,
    metadata: string | undefined,
    key: string | undefined,
    uri: string | undefined,
    flags: number,
  ): Promise<void> {
    await setQemuMetadata(this, this.deps.emit, ref, { type, metadata, key, uri, flags });
  }
  async getMetadata(ref: DomainRef, type: number, uri: string | undefined, flags: number): Promise<string> {
    return getQemuMetadata(this, ref, type, uri, flags);
  }

  async getOSType(ref: DomainRef): Promise<string> {
    return this.find(ref).def.os.type;
  }

  // ----- starting -----

  async create(ref: DomainRef, flags: number): Promise<DomainRef> {
    checkFlags(
      flags,
      CreateFlags.PAUSED | CreateFlags.AUTODESTROY | CreateFlags.BYPASS_CACHE | CreateFlags.FORCE_BOOT,
      'qemuDomainCreateWithFlags',
      ErrorDomain.QEMU,
    );
    const d = this.find(ref);
    await this.job(d, async () => {
      if (isActive(d)) throw qemuError(ErrorCode.OPERATION_INVALID, 'domain is already running');
      const paused = hasFlag(flags, CreateFlags.PAUSED);
      if (d.hasManagedSave && this.saveRestore) {
        // A managed-save image is resumed from, unless a fresh boot is asked for (it is then dropped).
        if (!hasFlag(flags, CreateFlags.FORCE_BOOT)) return this.saveRestore.startFromManagedSave(d, paused);
        await rm(managedSavePath(this.deps.paths, d.def.name), { force: true });
        d.hasManagedSave = false;
      }
      await this.start(d, paused);
    });
    return refOf(d);
  }

  async createXml(def: DomainDef, flags: number): Promise<DomainRef> {
    checkFlags(flags, CreateFlags.PAUSED | CreateFlags.AUTODESTROY, 'qemuDomainCreateXML', ErrorDomain.QEMU);
    def = await this.prepared(def);
    const existing = this.deps.table.checkClash(def, true);
    const d: QemuDomainObj = existing ?? {
      def: { ...def, id: undefined },
      persistent: false,
      autostart: false,
      id: -1,
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.UNKNOWN,
      hasManagedSave: false,
    };
    // Over a defined but inactive guest, the new definition runs and the stored one stays for later boots.
    if (existing) d.newDef = d.def;
    else this.deps.table.add(d);
    try {
      await this.job(d, () => this.start(d, hasFlag(flags, CreateFlags.PAUSED), { def: { ...def, id: undefined } }));
    } catch (err) {
      if (!existing) this.deps.table.remove(d);
      throw err;
    }
    return refOf(d);
  }

  /**
   * Spawn QEMU stopped (-S), connect its monitor, then let it run unless asked to stay paused.
   * `from` says what runs: a new definition (create with XML), a save image (QEMU waits for the
   * stream, -incoming defer, and loads it first) or an internal snapshot (-loadvm); by default
   * the stored definition boots.
   * @internal for save-restore.ts and snapshots.ts
   */
  async start(d: QemuDomainObj, paused: boolean, from: StartFrom = {}): Promise<void> {
    const { backends, paths, table } = this.deps;
    const { restore, loadvm } = from;
    const source = restore?.def ?? from.def ?? persistentDef(d);
    const caps = await backends.capsFor(source.devices.emulator ?? DEFAULT_EMULATOR);
    const prepared = structuredClone(source);
    await checkDiskSources(prepared);

    const id = table.assignId(d);
    const libDir = domainLibDir(paths, id, source.name);
    const ctx: CommandContext = { id, libDir, monitorPath: join(libDir, 'monitor.sock') };
    let proc: RunningProcess | undefined;
    try {
      await mkdirPrivate(libDir);
      // QEMU decrypts secrets passed on its command line with this per-run master key.
      await writeFile(join(libDir, 'master-key.aes'), randomBytes(32), { mode: 0o600 });
      await mkdirPrivate(paths.logDir);
      await mkdirPrivate(paths.stateDir);
      await plugNetworkInterfaces(prepared, this.network, source.name);
      const cmd = backends.buildCommandLine({ ...prepared, id }, caps, ctx);
      // Inside a network namespace when the driver is given one (QEMU then opens its taps there).
      const inNetns = this.deps.netns ? ['netns', 'exec', this.deps.netns, cmd.binary] : [];
      const launched = await launchQemu(
        {
          binary: this.deps.netns ? 'ip' : cmd.binary,
          args: [
            ...inNetns,
            ...cmd.args,
            ...(restore ? ['-incoming', 'defer'] : []),
            ...(loadvm !== undefined ? ['-loadvm', loadvm] : []),
          ],
          env: cmd.env,
          logFile: join(paths.logDir, `${source.name}.log`),
          monitorPath: ctx.monitorPath,
          timeoutMs: MONITOR_TIMEOUT_MS,
        },
        backends.connectMonitor,
      );
      proc = {
        pid: launched.pid,
        monitorPath: ctx.monitorPath,
        monitor: launched.monitor,
        libDir,
        ownStops: 0,
        ownResumes: 0,
      };
      if (d.persistent && !d.newDef) d.newDef = persistentDef(d);
      d.def = { ...prepared, id };
      d.process = proc;
      this.watch(d, proc);
      decorateLiveDef(d.def, ptysFromQueryChardev(await launched.monitor.execute('query-chardev')));
      await setLifecycleActions(launched.monitor, prepared);
      if (restore) {
        await migrateFromFile(
          launched.monitor,
          restore.path,
          restore.header.streamOffset,
          join(libDir, 'restore.sock'),
        );
      }
      if (!paused) await runCpus(proc, 'cont');
      d.state = paused ? DomainState.PAUSED : DomainState.RUNNING;
      if (restore) d.reason = paused ? PausedReason.MIGRATION : RunningReason.RESTORED;
      else if (loadvm !== undefined) d.reason = paused ? PausedReason.FROM_SNAPSHOT : RunningReason.FROM_SNAPSHOT;
      else d.reason = paused ? PausedReason.USER : RunningReason.BOOTED;
      await this.saveStatus(d);
    } catch (err) {
      if (proc) {
        proc.stopping = 'destroy';
        proc.monitor?.close();
        await killProcess(proc.pid, { escalate: true, immediate: true }).catch(() => undefined);
      }
      // Ports plugged before the live definition took over are given back here.
      if (d.process === undefined) await unplugNetworkInterfaces(prepared, this.network);
      await this.cleanupStopped(d, libDir);
      if (d.newDef) {
        d.def = d.newDef;
        d.newDef = undefined;
      }
      throw err;
    }
    this.emit(
      d,
      DomainEventType.STARTED,
      restore
        ? DomainEventDetail.STARTED.RESTORED
        : loadvm !== undefined
          ? DomainEventDetail.STARTED.FROM_SNAPSHOT
          : DomainEventDetail.STARTED.BOOTED,
    );
    if (paused) {
      const E = DomainEventDetail.SUSPENDED;
      const detail = restore ? E.RESTORED : loadvm !== undefined ? E.FROM_SNAPSHOT : E.PAUSED;
      this.emit(d, DomainEventType.SUSPENDED, detail);
    }
  }

  // ----- running guests -----

  /** @internal for save-restore.ts */
  running(d: QemuDomainObj): RunningProcess {
    if (!isActive(d) || !d.process?.monitor) throw notRunning();
    return d.process;
  }

  async suspend(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    await this.job(d, async () => {
      const proc = this.running(d);
      if (d.state === DomainState.PAUSED) return;
      await runCpus(proc, 'stop');
      this.setState(d, DomainState.PAUSED, PausedReason.USER);
      await this.saveStatus(d);
      this.emit(d, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.PAUSED);
    });
  }

  async resume(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    await this.job(d, async () => {
      const proc = this.running(d);
      if (d.state !== DomainState.PAUSED) {
        throw qemuError(ErrorCode.OPERATION_INVALID, 'domain is not paused');
      }
      await runCpus(proc, 'cont');
      this.setState(d, DomainState.RUNNING, RunningReason.UNPAUSED);
      await this.saveStatus(d);
      this.emit(d, DomainEventType.RESUMED, DomainEventDetail.RESUMED.UNPAUSED);
    });
  }

  /** ACPI power button: the guest decides; completion arrives as monitor events. */
  async shutdown(ref: DomainRef, flags: number): Promise<undefined> {
    checkFlags(flags, 1 << 0, 'qemuDomainShutdownFlags', ErrorDomain.QEMU); // ACPI_POWER_BTN only
    const d = this.find(ref);
    await this.job(d, async () => {
      const proc = this.running(d);
      proc.fakeReboot = false;
      await proc.monitor!.execute('system_powerdown');
    });
    return undefined;
  }

  /** libvirt's ACPI reboot: power button, then on the guest's shutdown reset and continue. */
  async reboot(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 1 << 0, 'qemuDomainReboot', ErrorDomain.QEMU);
    const d = this.find(ref);
    await this.job(d, async () => {
      const proc = this.running(d);
      proc.fakeReboot = true;
      await proc.monitor!.execute('system_powerdown');
    });
  }

  async reset(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'qemuDomainReset', ErrorDomain.QEMU);
    const d = this.find(ref);
    await this.job(d, async () => {
      await this.running(d).monitor!.execute('system_reset');
    });
  }

  async destroy(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DestroyFlags.GRACEFUL, 'qemuDomainDestroyFlags', ErrorDomain.QEMU);
    const d = this.find(ref);
    await this.job(d, async () => {
      if (!isActive(d) || !d.process) throw notRunning();
      await this.stop(d, ShutoffReason.DESTROYED, DomainEventDetail.STOPPED.DESTROYED, {
        escalate: !hasFlag(flags, DestroyFlags.GRACEFUL),
      });
    });
  }

  async getState(ref: DomainRef, flags: number): Promise<DomainStateInfo> {
    checkFlags(flags, 0, 'qemuDomainGetState', ErrorDomain.QEMU);
    const d = this.find(ref);
    return { state: d.state, reason: d.reason };
  }

  async getInfo(ref: DomainRef): Promise<DomainInfo> {
    const d = this.find(ref);
    const cpuTime = d.process ? await processCpuTime(d.process.pid) : 0n;
    let memory = d.def.currentMemory && d.def.currentMemory > 0 ? d.def.currentMemory : d.def.memory;
    // A running guest's memory is what its balloon gives it, when QEMU has one to ask.
    const monitor = isActive(d) ? d.process?.monitor : undefined;
    if (monitor) memory = (await balloonKiB(monitor)) ?? memory;
    return {
      state: d.state,
      maxMem: d.def.memory,
      memory,
      nrVirtCpu: d.def.vcpu.current ?? d.def.vcpu.count,
      cpuTime,
    };
  }

  // ----- state kept in step with QEMU -----

  /** @internal for save-restore.ts */
  setState(d: QemuDomainObj, state: DomainState, reason: number): void {
    d.state = state;
    d.reason = reason;
  }

  /** @internal for save-restore.ts */
  async saveStatus(d: QemuDomainObj): Promise<void> {
    const proc = d.process;
    if (!proc) return;
    await this.deps.status.write({
      state: d.state,
      reason: d.reason,
      pid: proc.pid,
      monitorPath: proc.monitorPath,
      libDir: proc.libDir,
      def: { ...d.def, id: d.id },
    });
  }

  /** Follow QEMU's events for a running guest, and notice when its monitor goes away. */
  watch(d: QemuDomainObj, proc: RunningProcess): void {
    const monitor = proc.monitor!;
    monitor.onEvent((event, data) => {
      void this.onMonitorEvent(d, proc, event, data);
    });
    monitor.onClose(() => {
      if (d.process !== proc || proc.stopping) return;
      // QEMU went away without being asked: a clean guest power-off or a crash.
      void this.job(d, async () => {
        if (d.process !== proc) return;
        const clean = proc.guestShutdown === true;
        await this.finishStopped(
          d,
          clean ? ShutoffReason.SHUTDOWN : ShutoffReason.CRASHED,
          clean ? DomainEventDetail.STOPPED.SHUTDOWN : DomainEventDetail.STOPPED.CRASHED,
        );
      });
    });
  }

  private async onMonitorEvent(
    d: QemuDomainObj,
    proc: RunningProcess,
    event: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (d.process !== proc || proc.stopping) return;
    switch (event) {
      case 'STOP':
        // The echo of our own 'stop' is already accounted for by the job that sent it.
        if (proc.ownStops > 0) {
          proc.ownStops--;
          return;
        }
        if (d.state === DomainState.RUNNING) {
          this.setState(d, DomainState.PAUSED, PausedReason.UNKNOWN);
          await this.saveStatus(d);
          this.emit(d, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.PAUSED);
        }
        return;
      case 'RESUME':
        if (proc.ownResumes > 0) {
          proc.ownResumes--;
          return;
        }
        if (d.state === DomainState.PAUSED) {
          this.setState(d, DomainState.RUNNING, RunningReason.UNPAUSED);
          await this.saveStatus(d);
          this.emit(d, DomainEventType.RESUMED, DomainEventDetail.RESUMED.UNPAUSED);
        }
        return;
      case 'SHUTDOWN':
        // With reboot=shutdown (on_reboot='destroy') a guest reboot arrives as a shutdown.
        await this.job(d, () => this.onGuestShutdown(d, proc, data.guest === true, data.reason === 'guest-reset'));
        return;
      case 'GUEST_PANICKED':
        await this.job(d, () => this.onGuestPanic(d, proc));
        return;
      default:
        return;
    }
  }

  /**
   * QEMU runs with -no-shutdown, so after a power-off it waits for us: a fake reboot resets
   * and continues; otherwise on_poweroff decides (destroy: stop QEMU; restart: reset).
   */
  private async onGuestShutdown(
    d: QemuDomainObj,
    proc: RunningProcess,
    byGuest: boolean,
    reboot = false,
  ): Promise<void> {
    if (d.process !== proc) return;
    this.emit(
      d,
      DomainEventType.SHUTDOWN,
      byGuest ? DomainEventDetail.SHUTDOWN.GUEST : DomainEventDetail.SHUTDOWN.HOST,
    );
    const lifecycle = d.def.lifecycle;
    const action = reboot ? (lifecycle?.onReboot ?? 'restart') : (lifecycle?.onPoweroff ?? 'destroy');
    const restart = proc.fakeReboot === true || action === 'restart' || action === 'rename-restart';
    proc.fakeReboot = false;
    if (action === 'preserve' && !restart) {
      // QEMU stays, stopped (-no-shutdown): the guest is "in shutdown" until destroyed.
      this.setState(d, DomainState.SHUTDOWN, ShutdownReason.USER);
      await this.saveStatus(d);
      return;
    }
    if (restart) {
      await proc.monitor!.execute('system_reset');
      await runCpus(proc, 'cont');
      this.setState(d, DomainState.RUNNING, RunningReason.BOOTED);
      await this.saveStatus(d);
      return;
    }
    proc.guestShutdown = true;
    this.setState(d, DomainState.SHUTDOWN, ShutdownReason.USER);
    await this.stop(d, ShutoffReason.SHUTDOWN, DomainEventDetail.STOPPED.SHUTDOWN, { escalate: true });
  }

  /**
   * The guest panicked (pvpanic; QEMU pauses it, set-action panic=pause): it is crashed, then
   * on_crash decides: destroy (stop, crashed), restart (reset and run), preserve (keep it).
   * Dumping a core is not done: coredump-* act as their destroy/restart part.
   */
  private async onGuestPanic(d: QemuDomainObj, proc: RunningProcess): Promise<void> {
    if (d.process !== proc) return;
    this.setState(d, DomainState.CRASHED, CrashedReason.PANICKED);
    this.emit(d, DomainEventType.CRASHED, DomainEventDetail.CRASHED.PANICKED);
    const action = d.def.lifecycle?.onCrash ?? 'destroy';
    if (action === 'preserve') {
      await this.saveStatus(d);
      return;
    }
    if (action === 'restart' || action === 'coredump-restart' || action === 'rename-restart') {
      await proc.monitor!.execute('system_reset');
      await runCpus(proc, 'cont');
      this.setState(d, DomainState.RUNNING, RunningReason.CRASHED);
      await this.saveStatus(d);
      return;
    }
    await this.stop(d, ShutoffReason.CRASHED, DomainEventDetail.STOPPED.CRASHED, { escalate: true });
  }

  /** Stop QEMU on purpose and record why. @internal for save-restore.ts */
  async stop(d: QemuDomainObj, reason: number, detail: number, how: { escalate: boolean }): Promise<void> {
    const proc = d.process!;
    proc.stopping = 'destroy';
    await killProcess(proc.pid, how);
    proc.monitor?.close();
    await this.finishStopped(d, reason, detail);
  }

  private async finishStopped(d: QemuDomainObj, reason: number, detail: number): Promise<void> {
    const libDir = d.process?.libDir;
    await this.cleanupStopped(d, libDir);
    if (d.newDef) {
      d.def = d.newDef;
      d.newDef = undefined;
    } else {
      d.def = { ...d.def, id: undefined };
    }
    this.setState(d, DomainState.SHUTOFF, reason);
    this.emit(d, DomainEventType.STOPPED, detail);
    if (!d.persistent) this.deps.table.remove(d);
  }

  /** Everything a stopped guest leaves behind goes: status file, private dir, running id. */
  private async cleanupStopped(d: QemuDomainObj, libDir: string | undefined): Promise<void> {
    if (d.process) await unplugNetworkInterfaces(d.def, this.network);
    d.process = undefined;
    await this.deps.status.remove(d.def.name);
    if (libDir) await rm(libDir, { recursive: true, force: true });
    this.deps.table.setId(d, -1);
    this.setState(d, DomainState.SHUTOFF, d.reason);
  }

  /** Let the driver's close or a restart detach from running guests without stopping them. */
  detachAll(): void {
    for (const d of this.deps.table.all()) {
      const proc = d.process;
      if (!proc) continue;
      proc.stopping = 'shutdown';
      proc.monitor?.close();
      proc.monitor = undefined;
    }
  }

  /** A guest found powered off on reconnect (QEMU waits under -no-shutdown): finish as if watched. */
  async finishGuestShutdown(d: QemuDomainObj, proc: RunningProcess): Promise<void> {
    await this.job(d, () => this.onGuestShutdown(d, proc, true));
  }

  /** Persist a status change made outside a job (reconnect). */
  async recordStatus(d: QemuDomainObj): Promise<void> {
    await this.saveStatus(d);
  }

  /** A guest found dead on reconnect is shut off (crashed) and cleaned up. */
  async markCrashed(d: QemuDomainObj, libDir: string): Promise<void> {
    await this.cleanupStopped(d, libDir);
    if (d.newDef) {
      d.def = d.newDef;
      d.newDef = undefined;
    }
    this.setState(d, DomainState.SHUTOFF, ShutoffReason.CRASHED);
    this.emit(d, DomainEventType.STOPPED, DomainEventDetail.STOPPED.CRASHED);
    if (!d.persistent) this.deps.table.remove(d);
  }
}

/**
 * What QEMU itself does on a guest reboot and panic (set-action, QEMU 6.0+): a reboot becomes a
 * shutdown when on_reboot is 'destroy', and a panic pauses the guest so on_crash is ours to apply.
 */
async function setLifecycleActions(monitor: QemuMonitor, def: DomainDef): Promise<void> {
  const actions: Record<string, string> = { panic: 'pause' };
  if (def.lifecycle?.onReboot === 'destroy') actions.reboot = 'shutdown';
  await monitor.execute('set-action', actions);
}

/** The guest's current memory in KiB from the balloon; undefined when QEMU has none. */
async function balloonKiB(monitor: QemuMonitor): Promise<number | undefined> {
  try {
    const info = await monitor.execute<{ actual: number }>('query-balloon');
    return Math.floor(info.actual / 1024);
  } catch {
    return undefined;
  }
}

/** libvirt refuses to start a guest whose local disk image is missing. */
async function checkDiskSources(def: DomainDef): Promise<void> {
  for (const disk of def.devices.disks) {
    const path = disk.type === 'file' || disk.type === 'block' ? disk.source?.path : undefined;
    // A removable medium may be absent, and startupPolicy lets a missing optional image be dropped.
    if (disk.source?.startupPolicy === 'optional') continue;
    if (!path) continue;
    try {
      await access(path, constants.R_OK);
    } catch (err) {
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message;
      throw qemuError(ErrorCode.SYSTEM_ERROR, `Cannot access storage file '${path}': ${reason}`, err);
    }
  }
}

/** CPU time of the whole QEMU process (utime + stime of all its threads), in nanoseconds. */
async function processCpuTime(pid: number): Promise<bigint> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = BigInt(fields[11] ?? 0) + BigInt(fields[12] ?? 0);
    return (ticks * 1_000_000_000n) / BigInt(CLOCK_TICKS_PER_SECOND);
  } catch {
    return 0n;
  }
}
