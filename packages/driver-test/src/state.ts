import type {
  CapabilitiesDef,
  DomainCheckpointDef,
  DomainDef,
  DomainRef,
  DomainSnapshotDef,
  DomainTime,
  DriverEvent,
  NetworkDef,
  NodeInfo,
  StoragePoolDef,
  StorageVolDef,
} from '@tsvirt/core';
import { noDomain } from './errors.js';
import type { TestInterface } from './interfaces.js';

/** One domain as the test driver keeps it: live definition, pending persistent one, run state. */
export interface TestDomain {
  /** The definition in effect: the live one while running, else the persistent one. */
  def: DomainDef;
  /** A persistent definition saved while running, applied at the next stop. */
  newDef?: DomainDef;
  persistent: boolean;
  /** DomainState value. */
  state: number;
  reason: number;
  id: number;
  autostart: boolean;
  hasManagedSave: boolean;
  snapshots: TestSnapshot[];
  currentSnapshot?: string;
  /** Checkpoints, oldest first (absent until the first one). */
  checkpoints?: TestCheckpoint[];
  currentCheckpoint?: string;
  /** The guest clock as virDomainSetTime last set it (DEFAULT_GUEST_SECONDS until then). */
  clock?: DomainTime;
}

export interface TestSnapshot {
  def: DomainSnapshotDef;
  /** The domain definition captured with the snapshot. */
  domain: DomainDef;
  /** DomainState value captured at creation. */
  state: number;
}

export interface TestCheckpoint {
  def: DomainCheckpointDef;
  /** The domain definition captured with the checkpoint (absent for a redefinition without one). */
  domain?: DomainDef;
}

export interface TestNetwork {
  def: NetworkDef;
  newDef?: NetworkDef;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
}

export interface TestVolume {
  def: StorageVolDef;
}

export interface TestPool {
  def: StoragePoolDef;
  newDef?: StoragePoolDef;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  volumes: TestVolume[];
}

/**
 * Everything one test "host" holds. `test:///default` shares one of these among all its open
 * connections in a process (and starts afresh once the last one closes), as libvirt does.
 */
export class TestState {
  readonly domains = new DomainTable();
  readonly networks: TestNetwork[] = [];
  readonly pools: TestPool[] = [];
  readonly interfaces: TestInterface[] = [];
  /** The definitions saved by virInterfaceChangeBegin while a transaction runs. */
  interfaceBackup?: TestInterface[];
  nextDomainId = 1;
  private readonly listeners = new Set<(e: DriverEvent) => void>();

  constructor(
    readonly nodeInfo: NodeInfo,
    readonly capabilities: CapabilitiesDef,
  ) {}

  emit(event: DriverEvent): void {
    for (const l of this.listeners) l(event);
  }
  subscribe(listener: (e: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Domains indexed by UUID, name and running id, so lookups stay O(1) with thousands of domains. */
export class DomainTable {
  private readonly byUuid = new Map<string, TestDomain>();
  private readonly byName = new Map<string, TestDomain>();
  private readonly byId = new Map<number, TestDomain>();

  get size(): number {
    return this.byUuid.size;
  }
  all(): IterableIterator<TestDomain> {
    return this.byUuid.values();
  }
  getByUuid(uuid: string): TestDomain | undefined {
    return this.byUuid.get(uuid);
  }
  /** The domain a handle names, or libvirt's "Domain not found". */
  find(ref: DomainRef): TestDomain {
    const d = this.byUuid.get(ref.uuid);
    if (!d) throw noDomain();
    return d;
  }
  getByName(name: string): TestDomain | undefined {
    return this.byName.get(name);
  }
  getById(id: number): TestDomain | undefined {
    return this.byId.get(id);
  }
  add(dom: TestDomain): void {
    this.byUuid.set(dom.def.uuid, dom);
    this.byName.set(dom.def.name, dom);
    if (dom.id >= 0) this.byId.set(dom.id, dom);
  }
  remove(dom: TestDomain): void {
    this.byUuid.delete(dom.def.uuid);
    this.byName.delete(dom.def.name);
    if (dom.id >= 0) this.byId.delete(dom.id);
  }
  /** Change a domain's running id (-1 when it stops), keeping the id index right. */
  setId(dom: TestDomain, id: number): void {
    if (dom.id >= 0) this.byId.delete(dom.id);
    dom.id = id;
    if (id >= 0) this.byId.set(id, dom);
  }
}
