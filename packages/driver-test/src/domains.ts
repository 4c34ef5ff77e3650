import {
  checkDomainDefinitionClash,
  type DomainControlInfo,
  type DomainDef,
  DomainEventDetail,
  DomainEventType,
  type DomainInfo,
  type DomainLifecycle,
  type DomainLookup,
  type DomainMemoryStat,
  DomainMessageFlags,
  type DomainRef,
  DomainState,
  type DomainStateInfo,
  DomainXmlFlags,
  domainMatchesListFlags,
  ErrorCode,
  ErrorDomain,
  hasFlag,
  PausedReason,
  RunningReason,
  ShutoffReason,
  UndefineFlags,
  VirError,
} from '@tsvirt/core';
import { controlInfoFor, memoryStatsFor } from './control-info.js';
import { checkFlags, domainInactive, domainNotRunning, noDomain, testError } from './errors.js';
import { guestClock } from './guest-info.js';
import { withTestIfnames } from './ifnames.js';
import { getTestMetadata, setTestMetadata } from './metadata.js';
import type { TestDomain, TestState } from './state.js';
import { setMemory, setVcpus } from './tuning.js';

/** The live definition of a starting domain: NICs without a host-side name get testnetN. */
export function withInterfaceNames(def: DomainDef): DomainDef {
  const nics = def.devices.interfaces;
  if (nics.every((n) => n.target?.dev)) return def;
  const interfaces = nics.map((n, i) => (n.target?.dev ? n : { ...n, target: { ...n.target, dev: `testnet${i}` } }));
  return { ...def, devices: { ...def.devices, interfaces } };
}

const refOf = (d: TestDomain): DomainRef => ({ name: d.def.name, uuid: d.def.uuid, id: d.id });
const isActive = (d: TestDomain): boolean => d.state !== DomainState.SHUTOFF;

/** Domain lookups, XML and life cycle of the test driver, with libvirt's transitions and events. */
export class TestDomains implements DomainLifecycle {
  constructor(private readonly state: TestState) {}

  private find(ref: DomainRef): TestDomain {
    return this.state.domains.find(ref);
  }

  private emit(d: TestDomain, event: number, detail: number): void {
    this.state.emit({ kind: 'domain-lifecycle', domain: refOf(d), event, detail });
  }

  async list(flags: number): Promise<DomainRef[]> {
    const out: DomainRef[] = [];
    for (const d of this.state.domains.all()) {
      const facts = {
        active: isActive(d),
        persistent: d.persistent,
        state: d.state,
        autostart: d.autostart,
        hasManagedSave: d.hasManagedSave,
        snapshotCount: d.snapshots.length,
        checkpointCount: d.checkpoints?.length ?? 0,
      };
      if (flags === 0 || domainMatchesListFlags(flags, facts)) out.push(refOf(d));
    }
    return out;
  }

  async lookup(by: DomainLookup): Promise<DomainRef> {
    const table = this.state.domains;
    const d = 'name' in by ? table.getByName(by.name) : 'uuid' in by ? table.getByUuid(by.uuid) : table.getById(by.id);
    if (!d) throw noDomain();
    return refOf(d);
  }

  async getXml(ref: DomainRef, flags: number): Promise<DomainDef> {
    const d = this.find(ref);
    if (hasFlag(flags, DomainXmlFlags.INACTIVE) && d.newDef) return d.newDef;
    return isActive(d) ? { ...d.def, id: d.id } : d.def;
  }

  // ----- defining -----

  /** libvirt's rule for a new definition against existing domains with the same name or UUID. */
  private checkClash(def: DomainDef, { forStart }: { forStart: boolean }): TestDomain | undefined {
    const table = this.state.domains;
    const known = (d: TestDomain | undefined) => d && { name: d.def.name, uuid: d.def.uuid, active: isActive(d) };
    const updates = checkDomainDefinitionClash(
      def,
      { byUuid: (u) => known(table.getByUuid(u)), byName: (n) => known(table.getByName(n)) },
      forStart,
    );
    return updates ? table.getByUuid(def.uuid) : undefined;
  }

  async defineXml(given: DomainDef): Promise<DomainRef> {
    const def = withTestIfnames(given);
    const existing = this.checkClash(def, { forStart: false });
    const inactiveDef = { ...def, id: undefined };
    if (existing) {
      if (isActive(existing)) existing.newDef = inactiveDef;
      else existing.def = inactiveDef;
      existing.persistent = true;
      this.emit(existing, DomainEventType.DEFINED, DomainEventDetail.DEFINED.UPDATED);
      return refOf(existing);
    }
    const d: TestDomain = {
      def: inactiveDef,
      persistent: true,
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.UNKNOWN,
      id: -1,
      autostart: false,
      hasManagedSave: false,
      snapshots: [],
    };
    this.state.domains.add(d);
    this.emit(d, DomainEventType.DEFINED, DomainEventDetail.DEFINED.ADDED);
    return refOf(d);
  }

  async createXml(given: DomainDef): Promise<DomainRef> {
    return this.startNew(given, RunningReason.BOOTED, DomainEventDetail.STARTED.BOOTED);
  }

  private startNew(given: DomainDef, reason: number, detail: number): DomainRef {
    const def = withTestIfnames(given);
    const existing = this.checkClash(def, { forStart: true });
    const d: TestDomain = existing ?? {
      def: { ...def, id: undefined },
      persistent: false,
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.UNKNOWN,
      id: -1,
      autostart: false,
      hasManagedSave: false,
      snapshots: [],
    };
    if (existing) {
      existing.newDef ??= existing.def;
      existing.def = { ...def, id: undefined };
    } else {
      this.state.domains.add(d);
    }
    this.startDomain(d, reason);
    this.emit(d, DomainEventType.STARTED, detail);
    return refOf(d);
  }

  async undefine(ref: DomainRef, flags: number): Promise<void> {
    // libvirt 9.0's test driver refuses every other flag (NVRAM and TPM ones, CHECKPOINTS_METADATA).
    checkFlags(flags, UndefineFlags.MANAGED_SAVE | UndefineFlags.SNAPSHOTS_METADATA, 'testDomainUndefineFlags');
    const d = this.find(ref);
    if (d.hasManagedSave && !hasFlag(flags, UndefineFlags.MANAGED_SAVE)) {
      throw testError(ErrorCode.OPERATION_INVALID, 'Refusing to undefine while domain managed save image exists');
    }
    if (d.snapshots.length > 0 && !hasFlag(flags, UndefineFlags.SNAPSHOTS_METADATA) && !isActive(d)) {
      throw new VirError({
        code: ErrorCode.OPERATION_INVALID,
        domain: ErrorDomain.TEST,
        detail: `cannot delete inactive domain with ${d.snapshots.length} snapshots`,
      });
    }
    this.emit(d, DomainEventType.UNDEFINED, DomainEventDetail.UNDEFINED.REMOVED);
    if (isActive(d)) {
      // A running domain stays, as a transient one, until it stops.
      d.persistent = false;
      d.newDef = undefined;
    } else {
      this.state.domains.remove(d);
    }
  }

  // ----- running -----

  /**
   * Start a domain: a persistent one runs a live copy of its definition (kept in newDef until it
   * stops, as libvirt does), and the test "host" names its NICs testnet0, testnet1, ...
   */
  startDomain(d: TestDomain, reason: number): void {
    if (d.persistent && !d.newDef) d.newDef = d.def;
    d.def = withInterfaceNames(d.def);
    this.state.domains.setId(d, this.state.nextDomainId++);
    d.state = DomainState.RUNNING;
    d.reason = reason;
  }

  /** Stop a domain: it gets its pending persistent definition, or disappears when transient. */
  stopDomain(d: TestDomain, reason: number): void {
    d.state = DomainState.SHUTOFF;
    d.reason = reason;
    this.state.domains.setId(d, -1);
    if (d.newDef) {
      d.def = d.newDef;
      d.newDef = undefined;
    }
    if (!d.persistent) this.state.domains.remove(d);
  }

  async create(ref: DomainRef, flags = 0): Promise<DomainRef> {
    checkFlags(flags, 0, 'testDomainCreateWithFlags');
    const d = this.find(ref);
    if (isActive(d)) throw testError(ErrorCode.INTERNAL_ERROR, `Domain '${d.def.name}' is already running`);
    // libvirt's test driver drops a managed-save image at start and boots afresh.
    d.hasManagedSave = false;
    this.startDomain(d, RunningReason.BOOTED);
    this.emit(d, DomainEventType.STARTED, DomainEventDetail.STARTED.BOOTED);
    return refOf(d);
  }

  /** virDomainSave / managed save: the guest stops as saved (a transient one disappears). */
  stopSaved(d: TestDomain): void {
    this.stopDomain(d, ShutoffReason.SAVED);
    this.emit(d, DomainEventType.STOPPED, DomainEventDetail.STOPPED.SAVED);
  }

  /** virDomainRestore: the saved definition runs again, as createXml starts one, but restored. */
  startRestored(given: DomainDef): DomainRef {
    return this.startNew(given, RunningReason.RESTORED, DomainEventDetail.STARTED.RESTORED);
  }

  async destroy(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    if (!isActive(d)) throw domainInactive();
    this.stopDomain(d, ShutoffReason.DESTROYED);
    this.emit(d, DomainEventType.STOPPED, DomainEventDetail.STOPPED.DESTROYED);
  }

  /** A test guest powers off at once, so the caller's handle learns its id is gone. */
  async shutdown(ref: DomainRef, flags = 0): Promise<DomainRef> {
    checkFlags(flags, 0, 'testDomainShutdownFlags');
    const d = this.find(ref);
    // libvirt's test driver shuts paused guests down too; only inactive ones are refused.
    if (!isActive(d)) throw domainNotRunning(d.def.name);
    this.stopDomain(d, ShutoffReason.SHUTDOWN);
    this.emit(d, DomainEventType.STOPPED, DomainEventDetail.STOPPED.SHUTDOWN);
    return refOf(d);
  }

  /** A test guest reboots at once; with on_reboot='destroy' it powers off instead. */
  async reboot(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    if (!isActive(d)) throw domainInactive();
    if (d.def.lifecycle?.onReboot === 'destroy') {
      this.stopDomain(d, ShutoffReason.SHUTDOWN);
      this.emit(d, DomainEventType.STOPPED, DomainEventDetail.STOPPED.SHUTDOWN);
      return;
    }
    d.state = DomainState.RUNNING;
    d.reason = RunningReason.BOOTED;
  }

  async reset(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    if (!isActive(d)) throw domainInactive();
  }

  async suspend(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    if (d.state !== DomainState.RUNNING) throw domainNotRunning(d.def.name);
    d.state = DomainState.PAUSED;
    d.reason = PausedReason.USER;
    this.emit(d, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED.PAUSED);
  }

  async resume(ref: DomainRef): Promise<void> {
    const d = this.find(ref);
    if (d.state !== DomainState.PAUSED) throw testError(ErrorCode.INTERNAL_ERROR, `domain '${d.def.name}' not paused`);
    d.state = DomainState.RUNNING;
    d.reason = RunningReason.UNPAUSED;
    this.emit(d, DomainEventType.RESUMED, DomainEventDetail.RESUMED.UNPAUSED);
  }

  // ----- tuning -----

  async setMemory(ref: DomainRef, kib: number, flags: number): Promise<void> {
    setMemory(this.find(ref), kib, flags);
  }
  /** libvirt's test driver treats virDomainSetMaxMemory as SetMemoryFlags(MEM_MAXIMUM) on the current definition. */
  async setMaxMemory(ref: DomainRef, kib: number): Promise<void> {
    setMemory(this.find(ref), kib, 1 << 2);
  }
  async setVcpus(ref: DomainRef, count: number, flags: number): Promise<void> {
    setVcpus(this.find(ref), count, flags);
  }

  /** Only a persistent, shut-off domain may be renamed; listeners see it undefined then defined. */
  async rename(ref: DomainRef, newName: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, 'testDomainRename');
    const d = this.find(ref);
    if (isActive(d)) throw testError(ErrorCode.OPERATION_INVALID, 'cannot rename active domain');
    if (!d.persistent) throw testError(ErrorCode.OPERATION_INVALID, 'cannot rename a transient domain');
    const refuse = (detail: string) =>
      new VirError({ code: ErrorCode.OPERATION_INVALID, domain: ErrorDomain.DOMAIN, detail });
    if (newName === d.def.name) throw refuse("Can't rename domain to itself");
    if (this.state.domains.getByName(newName)) throw refuse(`domain with name '${newName}' already exists`);
    if (newName.includes('/')) throw testError(ErrorCode.XML_ERROR, `name ${newName} cannot contain '/'`);
    this.emit(d, DomainEventType.UNDEFINED, DomainEventDetail.UNDEFINED.RENAMED);
    this.state.domains.remove(d);
    d.def = { ...d.def, name: newName };
    this.state.domains.add(d);
    this.emit(d, DomainEventType.DEFINED, DomainEventDetail.DEFINED.RENAMED);
    return refOf(d);
  }

  // ----- facts -----

  async getInfo(ref: DomainRef): Promise<DomainInfo> {
    const d = this.find(ref);
    // libvirt's test driver reports the wall clock as CPU time.
    return {
      state: d.state as DomainInfo['state'],
      maxMem: d.def.memory,
      memory: d.def.currentMemory,
      nrVirtCpu: d.def.vcpu.current ?? d.def.vcpu.count,
      cpuTime: BigInt(Date.now()) * 1_000_000n,
    };
  }
  async getState(ref: DomainRef): Promise<DomainStateInfo> {
    const d = this.find(ref);
    return { state: d.state as DomainStateInfo['state'], reason: d.reason };
  }
  async getAutostart(ref: DomainRef): Promise<boolean> {
    return this.find(ref).autostart;
  }
  async setAutostart(ref: DomainRef, autostart: boolean): Promise<void> {
    // libvirt's test driver sets the flag on transient domains too.
    this.find(ref).autostart = autostart;
  }
  async isActive(ref: DomainRef): Promise<boolean> {
    return isActive(this.find(ref));
  }
  async isPersistent(ref: DomainRef): Promise<boolean> {
    return this.find(ref).persistent;
  }
  async isUpdated(ref: DomainRef): Promise<boolean> {
    this.find(ref);
    return false;
  }
  async hasManagedSaveImage(ref: DomainRef): Promise<boolean> {
    return this.find(ref).hasManagedSave;
  }
  /** libvirt's test driver labels running domains 'libvirt-test', enforcing; others have no label. */
  async getSecurityLabel(ref: DomainRef): Promise<{ label: string; enforcing: boolean }> {
    const d = this.find(ref);
    return isActive(d) ? { label: 'libvirt-test', enforcing: true } : { label: '', enforcing: false };
  }
  async memoryStats(ref: DomainRef, nrStats: number, flags: number): Promise<DomainMemoryStat[]> {
    checkFlags(flags, 0, 'testDomainMemoryStats');
    const d = this.find(ref);
    if (!isActive(d)) throw domainInactive();
    const balloon = d.def.devices.memballoon;
    return memoryStatsFor(d.def.currentMemory, balloon !== undefined && balloon.model !== 'none', nrStats);
  }
  async getControlInfo(ref: DomainRef, flags: number): Promise<DomainControlInfo> {
    checkFlags(flags, 0, 'testDomainGetControlInfo');
    const d = this.find(ref);
    if (!isActive(d)) throw domainInactive();
    return controlInfoFor(Number(guestClock(d).seconds));
  }
  async setMetadata(
    ref: DomainRef,
    type: number,
    metadata: string | undefined,
    key: string | undefined,
    uri: string | undefined,
    flags: number,
  ): Promise<void> {
    const d = this.find(ref);
    setTestMetadata(d, refOf(d), { type, metadata, key, uri, flags }, (e) => this.state.emit(e));
  }
  async getMetadata(ref: DomainRef, type: number, uri: string | undefined, flags: number): Promise<string> {
    return getTestMetadata(this.find(ref), type, uri, flags);
  }
  /** libvirt's test driver names a running guest "<name>host", whatever the source asked for. */
  async getHostname(ref: DomainRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'testDomainGetHostname');
    const d = this.find(ref);
    if (!isActive(d)) throw domainInactive();
    return `${d.def.name}host`;
  }
  /** libvirt's test driver never taints a domain nor uses deprecated features: no messages. */
  async getMessages(ref: DomainRef, flags: number): Promise<string[]> {
    checkFlags(flags, DomainMessageFlags.DEPRECATION | DomainMessageFlags.TAINTING, 'testDomainGetMessages');
    this.find(ref);
    return [];
  }
  /** libvirt's test driver answers 'linux' whatever the guest's <os><type>. */
  async getOSType(ref: DomainRef): Promise<string> {
    this.find(ref);
    return 'linux';
  }
}
