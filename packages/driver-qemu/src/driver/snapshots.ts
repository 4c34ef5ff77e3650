/**
 * Internal snapshots of qcow2 disks, as libvirt 9 takes them: a running guest's memory and
 * disks through the human monitor's savevm/loadvm/delvm (QEMU keeps the state inside the qcow2
 * images), an inactive guest's disks through `qemu-img snapshot`. The metadata (which
 * snapshots exist, their parent and which is current) is the driver's (snapshot-store.ts).
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  checkFlags,
  type DiskDef,
  type DomainDef,
  DomainEventDetail,
  DomainEventType,
  type DomainRef,
  type DomainSnapshotDef,
  type DomainSnapshots,
  DomainState,
  ErrorCode,
  ErrorDomain,
  formatDomainXml,
  PausedReason,
  RunningReason,
  ShutoffReason,
  SNAPSHOT_LIST_ALL_FLAGS,
  SNAPSHOT_STATES,
  SnapshotCreateFlags,
  SnapshotDeleteFlags,
  type SnapshotRef,
  SnapshotRevertFlags,
  selectSnapshots,
  VirError,
} from '@tsvirt/core';
import { isActive, type QemuDomainObj, refOf } from './domain-object.js';
import type { QemuDomains } from './domains.js';
import { qemuError } from './errors.js';
import type { QemuMonitor } from './monitor.js';
import type { SnapshotStore } from './snapshot-store.js';
import { runCpus } from './vcpus.js';

const run = promisify(execFile);
const QEMU_IMG = 'qemu-img';

const Revert = SnapshotRevertFlags;

function noSnapshot(name: string): VirError {
  return new VirError({
    code: ErrorCode.NO_DOMAIN_SNAPSHOT,
    domain: ErrorDomain.DOMAIN_SNAPSHOT,
    detail: `no domain snapshot with matching name '${name}'`,
  });
}

/** The disks a snapshot covers: every disk but CD-ROMs, floppies and read-only ones (libvirt's default). */
function snapshotDisks(def: DomainDef): DiskDef[] {
  return def.devices.disks.filter(
    (d) => d.device !== 'cdrom' && d.device !== 'floppy' && !d.readonly && d.snapshot !== 'no',
  );
}

/** Internal snapshots need qcow2 images in local files, as libvirt checks before anything is done. */
function checkInternalCapable(disks: DiskDef[]): void {
  for (const disk of disks) {
    const format = disk.driver?.type ?? 'raw';
    if (format !== 'qcow2') {
      throw qemuError(
        ErrorCode.CONFIG_UNSUPPORTED,
        `internal snapshot for disk ${disk.target.dev} unsupported for storage type ${format}`,
      );
    }
    if (disk.type !== 'file' || !disk.source?.path) {
      throw qemuError(
        ErrorCode.CONFIG_UNSUPPORTED,
        `internal inactive snapshots are not supported on '${disk.type}' disks`,
      );
    }
  }
}

/** A human-monitor command whose success is an empty reply (savevm, loadvm, delvm). */
async function hmp(monitor: QemuMonitor, line: string, failure: string): Promise<void> {
  const reply = String(await monitor.execute('human-monitor-command', { 'command-line': line })).trim();
  if (reply !== '') throw qemuError(ErrorCode.OPERATION_FAILED, `${failure}: ${reply}`);
}

/** `qemu-img snapshot -c|-a|-d NAME FILE` for each disk of an inactive guest. */
async function qemuImgSnapshot(op: '-c' | '-a' | '-d', name: string, disks: DiskDef[]): Promise<void> {
  for (const disk of disks) {
    // checkInternalCapable made sure every disk here is a local file.
    const path = disk.source?.path ?? '';
    try {
      await run(QEMU_IMG, ['snapshot', op, name, path]);
    } catch (err) {
      const stderr = ((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
      throw qemuError(ErrorCode.OPERATION_FAILED, `${QEMU_IMG} snapshot ${op} failed: ${stderr}`, err);
    }
  }
}

export class QemuSnapshots implements DomainSnapshots {
  constructor(
    private readonly domains: QemuDomains,
    private readonly store: SnapshotStore,
  ) {}

  private async all(d: QemuDomainObj): Promise<DomainSnapshotDef[]> {
    return this.store.list(d.def.name);
  }

  private async find(d: QemuDomainObj, name: string): Promise<DomainSnapshotDef> {
    const s = (await this.all(d)).find((x) => x.name === name);
    if (!s) throw noSnapshot(name);
    return s;
  }

  private ref(d: QemuDomainObj, name: string): SnapshotRef {
    return { domain: refOf(d), name };
  }

  /** Make `name` the current snapshot (undefined: none), rewriting the flags on disk. */
  private async setCurrent(d: QemuDomainObj, name: string | undefined): Promise<void> {
    for (const s of await this.all(d)) {
      const active = s.name === name;
      if ((s.active ?? false) !== active) await this.store.save(d.def.name, { ...s, active });
    }
  }

  async create(ref: DomainRef, def: DomainSnapshotDef, flags: number): Promise<SnapshotRef> {
    checkFlags(
      flags,
      SnapshotCreateFlags.HALT | SnapshotCreateFlags.ATOMIC,
      'qemuDomainSnapshotCreateXML',
      ErrorDomain.QEMU,
    );
    const d = this.domains.find(ref);
    return this.domains.job(d, async () => {
      const now = Math.floor(Date.now() / 1000);
      const name = def.name ?? String(now);
      const existing = await this.all(d);
      if (existing.some((s) => s.name === name)) {
        throw new VirError({
          code: ErrorCode.OPERATION_FAILED,
          domain: ErrorDomain.DOMAIN,
          detail: `domain moment ${name} already exists`,
        });
      }
      if (def.memory?.snapshot === 'external' || def.disks?.some((x) => x.snapshot === 'external')) {
        throw qemuError(ErrorCode.OPERATION_UNSUPPORTED, 'external snapshots are not supported by this driver');
      }
      const disks = snapshotDisks(d.def);
      checkInternalCapable(disks);
      if (!isActive(d) && disks.length === 0) {
        throw qemuError(ErrorCode.CONFIG_UNSUPPORTED, 'no disks to snapshot');
      }
      const active = isActive(d);
      const state = active ? (SNAPSHOT_STATES[d.state] ?? 'running') : 'shutoff';
      if (active) await this.saveVm(d, name);
      else await qemuImgSnapshot('-c', name, disks);

      const current = existing.find((s) => s.active)?.name;
      const snap: DomainSnapshotDef = {
        ...def,
        name,
        state,
        creationTime: now,
        ...(current ? { parent: current } : {}),
        memory: { snapshot: active ? 'internal' : 'no' },
        disks: d.def.devices.disks.map((disk) => ({
          name: disk.target.dev,
          snapshot: disks.includes(disk) ? ('internal' as const) : ('no' as const),
        })),
        domainXml: formatDomainXml({ ...d.def, id: undefined }, { secure: true }),
        active: true,
      };
      await this.setCurrent(d, undefined);
      await this.store.save(d.def.name, snap);
      if (flags & SnapshotCreateFlags.HALT && isActive(d)) {
        await this.domains.stop(d, ShutoffReason.FROM_SNAPSHOT, DomainEventDetail.STOPPED.FROM_SNAPSHOT, {
          escalate: true,
        });
      }
      return this.ref(d, name);
    });
  }

  /** savevm on a paused guest, as libvirt does it, then let it run again if it ran. */
  private async saveVm(d: QemuDomainObj, name: string): Promise<void> {
    const proc = this.domains.running(d);
    const monitor = proc.monitor!;
    const wasRunning = d.state === DomainState.RUNNING;
    if (wasRunning) {
      this.domains.setState(d, DomainState.PAUSED, PausedReason.SNAPSHOT);
      await runCpus(proc, 'stop');
      this.domains.emit(d, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.PAUSED);
    }
    try {
      await hmp(monitor, `savevm "${name.replace(/["\\]/g, '')}"`, 'Failed to take snapshot');
    } finally {
      if (wasRunning && isActive(d)) {
        await runCpus(proc, 'cont');
        this.domains.setState(d, DomainState.RUNNING, RunningReason.UNPAUSED);
        this.domains.emit(d, DomainEventType.RESUMED, DomainEventDetail.RESUMED.UNPAUSED);
        await this.domains.saveStatus(d);
      }
    }
  }

  async list(ref: DomainRef, flags: number): Promise<SnapshotRef[]> {
    checkFlags(flags, SNAPSHOT_LIST_ALL_FLAGS, 'qemuDomainListAllSnapshots', ErrorDomain.QEMU);
    const d = this.domains.find(ref);
    return selectSnapshots(await this.all(d), flags).map((s) => this.ref(d, s.name ?? ''));
  }

  async listChildren(snap: SnapshotRef, flags: number): Promise<SnapshotRef[]> {
    checkFlags(flags, SNAPSHOT_LIST_ALL_FLAGS, 'qemuDomainSnapshotListAllChildren', ErrorDomain.QEMU);
    const d = this.domains.find(snap.domain);
    const from = await this.find(d, snap.name);
    return selectSnapshots(await this.all(d), flags, from.name).map((s) => this.ref(d, s.name ?? ''));
  }

  async lookup(ref: DomainRef, name: string): Promise<SnapshotRef> {
    const d = this.domains.find(ref);
    return this.ref(d, (await this.find(d, name)).name ?? name);
  }

  async getXml(snap: SnapshotRef): Promise<DomainSnapshotDef> {
    const { active: _current, ...def } = await this.find(this.domains.find(snap.domain), snap.name);
    return def;
  }

  async current(ref: DomainRef): Promise<SnapshotRef> {
    const d = this.domains.find(ref);
    const cur = (await this.all(d)).find((s) => s.active);
    if (!cur) {
      throw new VirError({
        code: ErrorCode.NO_DOMAIN_SNAPSHOT,
        domain: ErrorDomain.DOMAIN_SNAPSHOT,
        detail: 'the domain does not have a current snapshot',
      });
    }
    return this.ref(d, cur.name ?? '');
  }

  async getParent(snap: SnapshotRef): Promise<SnapshotRef> {
    const d = this.domains.find(snap.domain);
    const s = await this.find(d, snap.name);
    if (!s.parent) {
      throw new VirError({
        code: ErrorCode.NO_DOMAIN_SNAPSHOT,
        domain: ErrorDomain.DOMAIN_SNAPSHOT,
        detail: `snapshot '${snap.name}' does not have a parent`,
      });
    }
    return this.ref(d, s.parent);
  }

  /**
   * Back to a snapshot: a running one is loaded into the running guest (loadvm) or into a
   * QEMU started for it (-loadvm); a shut-off one stops the guest and reverts its disks.
   */
  async revert(snap: SnapshotRef, flags: number): Promise<void> {
    checkFlags(flags, Revert.RUNNING | Revert.PAUSED | Revert.FORCE, 'qemuDomainRevertToSnapshot', ErrorDomain.QEMU);
    if (flags & Revert.RUNNING && flags & Revert.PAUSED) {
      throw qemuError(
        ErrorCode.INVALID_ARG,
        "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive",
      );
    }
    const d = this.domains.find(snap.domain);
    await this.domains.job(d, async () => {
      const s = await this.find(d, snap.name);
      const name = s.name ?? snap.name;
      const wantActive = s.state === 'running' || s.state === 'paused';
      const paused = flags & Revert.PAUSED ? true : flags & Revert.RUNNING ? false : s.state === 'paused';
      if (wantActive) {
        if (isActive(d)) {
          const proc = this.domains.running(d);
          const monitor = proc.monitor!;
          if (d.state === DomainState.RUNNING) {
            this.domains.setState(d, DomainState.PAUSED, PausedReason.FROM_SNAPSHOT);
            await runCpus(proc, 'stop');
          }
          await hmp(monitor, `loadvm "${name.replace(/["\\]/g, '')}"`, 'Failed to load snapshot');
          if (!paused) await runCpus(proc, 'cont');
          this.domains.setState(
            d,
            paused ? DomainState.PAUSED : DomainState.RUNNING,
            paused ? PausedReason.FROM_SNAPSHOT : RunningReason.FROM_SNAPSHOT,
          );
          await this.domains.saveStatus(d);
          this.domains.emit(
            d,
            paused ? DomainEventType.SUSPENDED : DomainEventType.RESUMED,
            paused ? DomainEventDetail.SUSPENDED.FROM_SNAPSHOT : DomainEventDetail.RESUMED.FROM_SNAPSHOT,
          );
        } else {
          await this.domains.start(d, paused, { loadvm: name });
        }
      } else {
        if (isActive(d)) {
          await this.domains.stop(d, ShutoffReason.FROM_SNAPSHOT, DomainEventDetail.STOPPED.FROM_SNAPSHOT, {
            escalate: true,
          });
        }
        await qemuImgSnapshot('-a', name, snapshotDisks(d.def));
      }
      await this.setCurrent(d, name);
    });
  }

  /** Delete a snapshot (its children move up to its parent), or with CHILDREN its subtree. */
  async delete(snap: SnapshotRef, flags: number): Promise<void> {
    const F = SnapshotDeleteFlags;
    checkFlags(flags, F.CHILDREN | F.CHILDREN_ONLY | F.METADATA_ONLY, 'qemuDomainSnapshotDelete', ErrorDomain.QEMU);
    const d = this.domains.find(snap.domain);
    await this.domains.job(d, async () => {
      const all = await this.all(d);
      const s = all.find((x) => x.name === snap.name);
      if (!s) throw noSnapshot(snap.name);
      const descendants = (name: string): DomainSnapshotDef[] =>
        all.filter((x) => x.parent === name).flatMap((c) => [c, ...descendants(c.name ?? '')]);
      const doomed: DomainSnapshotDef[] = [];
      if (flags & (F.CHILDREN | F.CHILDREN_ONLY)) doomed.push(...descendants(snap.name));
      if (!(flags & F.CHILDREN_ONLY)) doomed.push(s);
      for (const x of doomed) {
        if (!(flags & F.METADATA_ONLY)) await this.discard(d, x.name ?? '');
        await this.store.remove(d.def.name, x.name ?? '');
      }
      if (!(flags & (F.CHILDREN | F.CHILDREN_ONLY))) {
        for (const child of all.filter((x) => x.parent === snap.name)) {
          const { parent: _old, ...rest } = child;
          await this.store.save(d.def.name, s.parent ? { ...rest, parent: s.parent } : rest);
        }
      }
      // The current snapshot, when deleted, passes to the deleted one's parent (or to the kept root).
      if (doomed.some((x) => x.active)) {
        await this.setCurrent(d, doomed.includes(s) ? s.parent : snap.name);
      }
    });
  }

  /** Drop a snapshot's data from the images: delvm while QEMU runs, qemu-img otherwise. */
  private async discard(d: QemuDomainObj, name: string): Promise<void> {
    if (isActive(d)) {
      await hmp(this.domains.running(d).monitor!, `delvm "${name.replace(/["\\]/g, '')}"`, 'Failed to delete snapshot');
    } else {
      await qemuImgSnapshot('-d', name, snapshotDisks(d.def));
    }
  }

  /** How many snapshots a guest has (list filters, undefine). */
  async countOf(domain: string): Promise<number> {
    return (await this.store.list(domain)).length;
  }

  /** Forget a guest's snapshots, leaving the data in its images (undefine --snapshots-metadata). */
  async dropMetadata(domain: string): Promise<void> {
    await this.store.removeAll(domain);
  }
}
