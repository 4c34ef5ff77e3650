/**
 * virDomainSave/Restore and managed save for QEMU guests: the guest is paused, its definition
 * and QEMU's migration stream go into a save image (save-image.ts), and QEMU stops; a restore
 * starts QEMU waiting for that stream and continues the guest where it was.
 */

import { existsSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkFlags,
  type DomainDef,
  DomainEventDetail,
  DomainEventType,
  type DomainRef,
  type DomainSaveRestore,
  DomainState,
  ErrorCode,
  ErrorDomain,
  hasFlag,
  PausedReason,
  RunningReason,
  SaveRestoreFlags,
  ShutoffReason,
  VirError,
} from '@tsvirt/core';
import { isActive, type QemuDomainObj, refOf } from './domain-object.js';
import type { DomainTable } from './domain-table.js';
import type { QemuDomains } from './domains.js';
import { qemuError } from './errors.js';
import { migrateToFile } from './migration-stream.js';
import type { QemuPaths } from './paths.js';
import { completeSaveImage, errnoText, readSaveHeader, writeSaveHeader } from './save-image.js';
import { runCpus } from './vcpus.js';

const SAVE_FLAGS = SaveRestoreFlags.BYPASS_CACHE | SaveRestoreFlags.RUNNING | SaveRestoreFlags.PAUSED;

/** Where libvirt keeps a guest's managed-save image: <libDir>/save/NAME.save. */
export function managedSavePath(paths: QemuPaths, name: string): string {
  return join(paths.libDir, 'save', `${name}.save`);
}

/** The guest should run after a restore: the flags decide, else how it was when saved. */
function startPaused(flags: number, wasRunning: boolean): boolean {
  if (hasFlag(flags, SaveRestoreFlags.RUNNING)) return false;
  if (hasFlag(flags, SaveRestoreFlags.PAUSED)) return true;
  return !wasRunning;
}

function checkRunningPaused(flags: number): void {
  if (hasFlag(flags, SaveRestoreFlags.RUNNING) && hasFlag(flags, SaveRestoreFlags.PAUSED)) {
    throw qemuError(
      ErrorCode.INVALID_ARG,
      "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive",
    );
  }
}

function noNewDefinition(dxml: DomainDef | undefined): void {
  if (dxml !== undefined) {
    throw qemuError(ErrorCode.CONFIG_UNSUPPORTED, 'replacing the definition of a save image is not supported');
  }
}

export class QemuSaveRestore implements DomainSaveRestore {
  constructor(
    private readonly domains: QemuDomains,
    private readonly table: DomainTable,
    private readonly paths: QemuPaths,
  ) {}

  async save(ref: DomainRef, path: string, dxml: DomainDef | undefined, flags: number): Promise<void> {
    checkFlags(flags, SAVE_FLAGS, 'qemuDomainSaveFlags', ErrorDomain.QEMU);
    checkRunningPaused(flags);
    noNewDefinition(dxml);
    const d = this.domains.find(ref);
    await this.domains.job(d, () => this.saveGuest(d, path, flags));
  }

  async managedSave(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, SAVE_FLAGS, 'qemuDomainManagedSave', ErrorDomain.QEMU);
    checkRunningPaused(flags);
    const d = this.domains.find(ref);
    await this.domains.job(d, async () => {
      if (!isActive(d)) throw qemuError(ErrorCode.OPERATION_INVALID, 'domain is not running');
      if (!d.persistent) {
        throw qemuError(ErrorCode.OPERATION_INVALID, 'cannot do managed save for transient domain');
      }
      const path = managedSavePath(this.paths, d.def.name);
      await mkdir(join(this.paths.libDir, 'save'), { recursive: true, mode: 0o700 });
      await this.saveGuest(d, path, flags);
      d.hasManagedSave = true;
    });
  }

  async managedSaveRemove(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'qemuDomainManagedSaveRemove', ErrorDomain.QEMU);
    const d = this.domains.find(ref);
    await this.domains.job(d, async () => {
      await rm(managedSavePath(this.paths, d.def.name), { force: true });
      d.hasManagedSave = false;
    });
  }

  async restore(path: string, dxml: DomainDef | undefined, flags: number): Promise<DomainRef> {
    checkFlags(flags, SAVE_FLAGS | SaveRestoreFlags.RESET_NVRAM, 'qemuDomainRestoreFlags', ErrorDomain.QEMU);
    checkRunningPaused(flags);
    noNewDefinition(dxml);
    const header = await readSaveHeader(path);
    const def = await this.domains.prepared(this.domains.parseSaved(header.xml));
    const existing = this.table.checkClash(def, true);
    const d: QemuDomainObj = existing ?? {
      def,
      persistent: false,
      autostart: false,
      id: -1,
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.UNKNOWN,
      hasManagedSave: false,
    };
    if (!existing) this.table.add(d);
    try {
      await this.domains.job(d, async () => {
        if (isActive(d)) throw alreadyActive(def.name);
        await this.domains.start(d, startPaused(flags, header.wasRunning), { restore: { def, path, header } });
      });
    } catch (err) {
      if (!existing) this.table.remove(d);
      throw err;
    }
    return refOf(d);
  }

  /**
   * Start a guest from its managed-save image (virDomainCreate when one exists); the image is
   * removed once the guest runs from it. Called inside the guest's job.
   */
  async startFromManagedSave(d: QemuDomainObj, paused: boolean): Promise<void> {
    const path = managedSavePath(this.paths, d.def.name);
    const header = await readSaveHeader(path);
    const def = await this.domains.prepared(this.domains.parseSaved(header.xml));
    await this.domains.start(d, paused || !header.wasRunning, { restore: { def, path, header } });
    await rm(path, { force: true });
    d.hasManagedSave = false;
  }

  /** Whether a managed-save image is on disk for a guest (when the driver loads). */
  hasImage(name: string): boolean {
    return existsSync(managedSavePath(this.paths, name));
  }

  /** Inside the guest's job: pause, write the image, stop QEMU; on failure the guest goes on. */
  private async saveGuest(d: QemuDomainObj, path: string, flags: number): Promise<void> {
    const proc = this.domains.running(d);
    const monitor = proc.monitor!;
    const wasRunning = d.state === DomainState.RUNNING;
    const prevReason = d.reason;
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(path, 'w', 0o600);
    } catch (err) {
      throw qemuError(ErrorCode.SYSTEM_ERROR, `Failed to create file '${path}': ${errnoText(err)}`, err);
    }
    let written = false;
    try {
      if (wasRunning) {
        // Set first, so the STOP event QEMU sends is not taken for an outside pause.
        this.domains.setState(d, DomainState.PAUSED, PausedReason.SAVE);
        await runCpus(proc, 'stop');
        this.domains.emit(d, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.PAUSED);
      }
      // The image keeps the definition the guest runs with, as the driver stores definitions.
      const runAfter = startPaused(flags, wasRunning) === false;
      const offset = await writeSaveHeader(file, this.domains.formatSaved(d.def), runAfter);
      await file.sync();
      await migrateToFile(monitor, path, offset, join(proc.libDir, 'save.sock'));
      await completeSaveImage(file);
      written = true;
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(path, { force: true });
      if (wasRunning && isActive(d)) {
        await runCpus(proc, 'cont').catch(() => undefined);
        this.domains.setState(d, DomainState.RUNNING, RunningReason.SAVE_CANCELED);
        this.domains.emit(d, DomainEventType.RESUMED, DomainEventDetail.RESUMED.UNPAUSED);
      } else {
        this.domains.setState(d, d.state, prevReason);
      }
      throw err;
    }
    if (written) await file.close();
    await this.domains.stop(d, ShutoffReason.SAVED, DomainEventDetail.STOPPED.SAVED, { escalate: true });
  }
}

function alreadyActive(name: string): VirError {
  return new VirError({
    code: ErrorCode.OPERATION_INVALID,
    domain: ErrorDomain.DOMAIN,
    detail: `domain '${name}' is already active`,
  });
}
