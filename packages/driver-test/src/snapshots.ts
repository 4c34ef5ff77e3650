import {
  applyMomentDelete,
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
  planMomentDelete,
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
import type { TestDomains } from './domains.js';
import { checkFlags, testError } from './errors.js';
import type { TestDomain, TestSnapshot, TestState } from './state.js';

/**
 * Snapshots of the test driver: metadata only. A snapshot records the domain's definition and
 * state; reverting puts both back, as libvirt's test driver does.
 */
export class TestSnapshots implements DomainSnapshots {
  constructor(
    private readonly state: TestState,
    private readonly domains: Pick<TestDomains, 'startDomain' | 'stopDomain'>,
  ) {}

  private domain(ref: DomainRef): TestDomain {
    return this.state.domains.find(ref);
  }
  private find(d: TestDomain, name: string): TestSnapshot {
    const s = d.snapshots.find((x) => x.def.name === name);
    if (!s) throw testError(ErrorCode.NO_DOMAIN_SNAPSHOT, `no domain snapshot with matching name '${name}'`);
    return s;
  }
  private ref(d: TestDomain, s: TestSnapshot): SnapshotRef {
    return { domain: { name: d.def.name, uuid: d.def.uuid, id: d.id }, name: s.def.name ?? '' };
  }

  async create(ref: DomainRef, def: DomainSnapshotDef, flags: number): Promise<SnapshotRef> {
    checkFlags(flags, SnapshotCreateFlags.HALT, 'testDomainSnapshotCreateXML');
    const d = this.domain(ref);
    if ((d.checkpoints?.length ?? 0) > 0) {
      throw testError(ErrorCode.OPERATION_UNSUPPORTED, 'cannot create snapshot while checkpoint exists');
    }
    const now = Math.floor(Date.now() / 1000);
    const name = def.name ?? String(now);
    if (d.snapshots.some((s) => s.def.name === name)) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.DOMAIN,
        detail: `domain moment ${name} already exists`,
      });
    }
    const running = d.state !== DomainState.SHUTOFF;
    const snap: TestSnapshot = {
      def: {
        ...def,
        name,
        state: SNAPSHOT_STATES[d.state] ?? 'nostate',
        creationTime: now,
        parent: d.currentSnapshot,
        memory: { snapshot: running ? 'internal' : 'no' },
        disks: d.def.devices.disks.map((disk) => ({ name: disk.target.dev, snapshot: 'internal' as const })),
        domainXml: formatDomainXml({ ...d.def, id: undefined }, { secure: true }),
      },
      domain: d.def,
      state: d.state,
    };
    d.snapshots.push(snap);
    d.currentSnapshot = name;
    if ((flags & SnapshotCreateFlags.HALT) !== 0 && running) {
      this.domains.stopDomain(d, ShutoffReason.FROM_SNAPSHOT);
      this.state.emit({
        kind: 'domain-lifecycle',
        domain: this.ref(d, snap).domain,
        event: DomainEventType.STOPPED,
        detail: DomainEventDetail.STOPPED.FROM_SNAPSHOT,
      });
    }
    return this.ref(d, snap);
  }

  async list(ref: DomainRef, flags: number): Promise<SnapshotRef[]> {
    checkFlags(flags, SNAPSHOT_LIST_ALL_FLAGS, 'testDomainListAllSnapshots');
    const d = this.domain(ref);
    return this.select(d, flags);
  }

  async listChildren(snap: SnapshotRef, flags: number): Promise<SnapshotRef[]> {
    checkFlags(flags, SNAPSHOT_LIST_ALL_FLAGS, 'testDomainSnapshotListAllChildren');
    const d = this.domain(snap.domain);
    return this.select(d, flags, this.find(d, snap.name).def.name);
  }

  private select(d: TestDomain, flags: number, from?: string): SnapshotRef[] {
    const byDef = new Map(d.snapshots.map((s) => [s.def, s]));
    const picked = selectSnapshots(
      d.snapshots.map((s) => s.def),
      flags,
      from,
    );
    return picked.flatMap((def) => {
      const s = byDef.get(def);
      return s ? [this.ref(d, s)] : [];
    });
  }

  async lookup(ref: DomainRef, name: string): Promise<SnapshotRef> {
    const d = this.domain(ref);
    return this.ref(d, this.find(d, name));
  }

  async getXml(snap: SnapshotRef): Promise<DomainSnapshotDef> {
    return this.find(this.domain(snap.domain), snap.name).def;
  }

  async current(ref: DomainRef): Promise<SnapshotRef> {
    const d = this.domain(ref);
    if (!d.currentSnapshot)
      throw testError(ErrorCode.NO_DOMAIN_SNAPSHOT, 'the domain does not have a current snapshot');
    return this.ref(d, this.find(d, d.currentSnapshot));
  }

  async getParent(snap: SnapshotRef): Promise<SnapshotRef> {
    const d = this.domain(snap.domain);
    const s = this.find(d, snap.name);
    if (!s.def.parent) throw testError(ErrorCode.NO_DOMAIN_SNAPSHOT, `snapshot '${snap.name}' does not have a parent`);
    return this.ref(d, this.find(d, s.def.parent));
  }

  /**
   * Put the recorded definition and run state back; the snapshot becomes the current one. As
   * libvirt's test driver does, a running guest is stopped and started again (events included)
   * even when the snapshot is of a running guest.
   */
  async revert(snap: SnapshotRef, flags: number): Promise<void> {
    const { RUNNING, PAUSED, FORCE } = SnapshotRevertFlags;
    checkFlags(flags, RUNNING | PAUSED | FORCE, 'testDomainRevertToSnapshot');
    const d = this.domain(snap.domain);
    const s = this.find(d, snap.name);
    const emit = (event: number, detail: number) =>
      this.state.emit({ kind: 'domain-lifecycle', domain: this.ref(d, s).domain, event, detail });
    const paused = (flags & PAUSED) !== 0 || (s.state === DomainState.PAUSED && (flags & RUNNING) === 0);
    if (d.state !== DomainState.SHUTOFF) {
      this.domains.stopDomain(d, ShutoffReason.FROM_SNAPSHOT);
      emit(DomainEventType.STOPPED, DomainEventDetail.STOPPED.FROM_SNAPSHOT);
    }
    d.def = s.domain;
    if (s.state !== DomainState.SHUTOFF) {
      this.domains.startDomain(d, RunningReason.FROM_SNAPSHOT);
      emit(DomainEventType.STARTED, DomainEventDetail.STARTED.FROM_SNAPSHOT);
      if (paused) {
        d.state = DomainState.PAUSED;
        d.reason = PausedReason.FROM_SNAPSHOT;
        emit(DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.FROM_SNAPSHOT);
      }
    } else if ((flags & (RUNNING | PAUSED)) !== 0) {
      // libvirt 9.0's test driver announces this start but leaves the guest shut off.
      emit(DomainEventType.STARTED, DomainEventDetail.STARTED.FROM_SNAPSHOT);
      if (paused) emit(DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.FROM_SNAPSHOT);
    }
    d.currentSnapshot = s.def.name;
  }

  /** Delete a snapshot (its children move to its parent), or with CHILDREN its whole subtree. */
  async delete(snap: SnapshotRef, flags: number): Promise<void> {
    const F = SnapshotDeleteFlags;
    checkFlags(flags, F.CHILDREN | F.CHILDREN_ONLY | F.METADATA_ONLY, 'testDomainSnapshotDelete');
    const d = this.domain(snap.domain);
    this.find(d, snap.name);
    const plan = planMomentDelete(
      d.snapshots.map((s) => s.def),
      snap.name,
      { children: (flags & F.CHILDREN) !== 0, childrenOnly: (flags & F.CHILDREN_ONLY) !== 0 },
      d.currentSnapshot,
    );
    d.snapshots = applyMomentDelete(
      d.snapshots,
      (x) => x.def,
      (x, parent) => ({ ...x, def: { ...x.def, parent } }),
      snap.name,
      plan,
    );
    d.currentSnapshot = plan.current;
  }
}
