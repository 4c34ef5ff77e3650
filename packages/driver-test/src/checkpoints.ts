import {
  applyMomentDelete,
  CHECKPOINT_LIST_ALL_FLAGS,
  CheckpointCreateFlags,
  CheckpointDeleteFlags,
  type CheckpointRef,
  CheckpointXmlFlags,
  type DomainCheckpointDef,
  type DomainCheckpoints,
  type DomainDef,
  type DomainRef,
  DomainState,
  ErrorCode,
  ErrorDomain,
  formatDomainXml,
  parseDomainCheckpointXml,
  parseDomainXml,
  planMomentDelete,
  selectCheckpoints,
  VirError,
} from '@tsvirt/core';
import { alignCheckpointDisks, defaultBitmapNames } from './checkpoint-disks.js';
import { checkFlags, domainInactive, testError } from './errors.js';
import type { TestCheckpoint, TestDomain, TestState } from './state.js';

/** libvirt's moment-tree errors (shared by snapshots and checkpoints), from its domain config module. */
const momentError = (code: ErrorCode, detail: string): VirError =>
  new VirError({ code, domain: ErrorDomain.DOMAIN, detail });

/**
 * Checkpoints of the test driver, as libvirt 9.0's: metadata only, for running domains without
 * snapshots. Each records the domain's definition and which disks get a bitmap; the newest one
 * is the domain's current checkpoint and the parent of the next.
 */
export class TestCheckpoints implements DomainCheckpoints {
  constructor(private readonly state: TestState) {}

  private domain(ref: DomainRef): TestDomain {
    return this.state.domains.find(ref);
  }
  private all(d: TestDomain): TestCheckpoint[] {
    d.checkpoints ??= [];
    return d.checkpoints;
  }
  private find(d: TestDomain, name: string): TestCheckpoint {
    const c = this.all(d).find((x) => x.def.name === name);
    if (!c) throw testError(ErrorCode.NO_DOMAIN_CHECKPOINT, `no domain checkpoint with matching name '${name}'`);
    return c;
  }
  private ref(d: TestDomain, name: string): CheckpointRef {
    return { domain: { name: d.def.name, uuid: d.def.uuid, id: d.id }, name };
  }

  async create(ref: DomainRef, xml: string, flags: number): Promise<CheckpointRef> {
    const { REDEFINE, QUIESCE } = CheckpointCreateFlags;
    checkFlags(flags, REDEFINE | QUIESCE, 'testDomainCheckpointCreateXML');
    const d = this.domain(ref);
    if (d.snapshots.length > 0) {
      throw testError(ErrorCode.OPERATION_UNSUPPORTED, 'cannot create checkpoint while snapshot exists');
    }
    if (d.state === DomainState.SHUTOFF) {
      throw testError(ErrorCode.OPERATION_UNSUPPORTED, 'cannot create checkpoint for inactive domain');
    }
    const redefine = (flags & REDEFINE) !== 0;
    const def = parseDomainCheckpointXml(xml, { redefine });
    const name = def.name ?? '';
    const list = this.all(d);
    let updateCurrent = true;
    let domain: DomainDef | undefined;
    if (redefine) {
      this.checkCycles(list, def);
      if (def.domainXml !== undefined) {
        domain = parseDomainXml(def.domainXml);
        if (domain.uuid !== d.def.uuid) {
          throw new VirError({
            code: ErrorCode.INVALID_ARG,
            domain: ErrorDomain.DOMAIN_CHECKPOINT,
            detail: `definition for checkpoint ${name} must use uuid ${d.def.uuid}`,
          });
        }
        def.disks = alignCheckpointDisks(def, domain);
      } else def.disks = defaultBitmapNames(def);
      const parentIsCurrent = def.parent !== undefined && def.parent === d.currentCheckpoint;
      updateCurrent = parentIsCurrent || d.currentCheckpoint === undefined;
      // A redefinition replaces the old record but keeps its children; it becomes the newest
      // child of its parent, as libvirt relinks it.
      const at = list.findIndex((c) => c.def.name === name);
      if (at >= 0) list.splice(at, 1);
    } else {
      domain = d.def;
      def.disks = alignCheckpointDisks(def, d.def);
      if (list.some((c) => c.def.name === name)) {
        throw momentError(ErrorCode.OPERATION_FAILED, `domain moment ${name} already exists`);
      }
      if (d.currentCheckpoint !== undefined) def.parent = d.currentCheckpoint;
    }
    list.push({ def, ...(domain ? { domain } : {}) });
    if (updateCurrent) d.currentCheckpoint = name;
    return this.ref(d, name);
  }

  /** libvirt's cycle check for a redefined moment: its parent must exist and not descend from it. */
  private checkCycles(list: readonly TestCheckpoint[], def: DomainCheckpointDef): void {
    const name = def.name ?? '';
    if (def.parent === undefined) return;
    if (def.parent === name) {
      throw momentError(ErrorCode.INVALID_ARG, `cannot set moment ${name} as its own parent`);
    }
    const byName = new Map(list.map((c) => [c.def.name, c.def]));
    let parent = byName.get(def.parent);
    if (!parent) throw momentError(ErrorCode.INVALID_ARG, `parent ${def.parent} for moment ${name} not found`);
    while (parent?.parent !== undefined) {
      if (parent.parent === name) {
        throw momentError(ErrorCode.INVALID_ARG, `parent ${parent.name} would create cycle to ${name}`);
      }
      parent = byName.get(parent.parent);
    }
  }

  async list(ref: DomainRef, flags: number): Promise<CheckpointRef[]> {
    checkFlags(flags, CHECKPOINT_LIST_ALL_FLAGS, 'testDomainListAllCheckpoints');
    const d = this.domain(ref);
    return this.select(d, flags);
  }

  async listChildren(chk: CheckpointRef, flags: number): Promise<CheckpointRef[]> {
    checkFlags(flags, CHECKPOINT_LIST_ALL_FLAGS, 'testDomainCheckpointListAllChildren');
    const d = this.domain(chk.domain);
    return this.select(d, flags, this.find(d, chk.name).def.name);
  }

  private select(d: TestDomain, flags: number, from?: string): CheckpointRef[] {
    const defs = this.all(d).map((c) => c.def);
    return selectCheckpoints(defs, flags, from).map((def) => this.ref(d, def.name ?? ''));
  }

  async lookup(ref: DomainRef, name: string, flags: number): Promise<CheckpointRef> {
    checkFlags(flags, 0, 'testDomainCheckpointLookupByName');
    const d = this.domain(ref);
    return this.ref(d, this.find(d, name).def.name ?? '');
  }

  async getParent(chk: CheckpointRef, flags: number): Promise<CheckpointRef> {
    checkFlags(flags, 0, 'testDomainCheckpointGetParent');
    const d = this.domain(chk.domain);
    const c = this.find(d, chk.name);
    if (c.def.parent === undefined) {
      throw testError(ErrorCode.NO_DOMAIN_CHECKPOINT, `checkpoint '${chk.name}' does not have a parent`);
    }
    return this.ref(d, c.def.parent);
  }

  /**
   * The recorded definition with its <domain>. SIZE needs a running domain; libvirt 9.0's test
   * driver then computes sizes it never marks valid, so no size is ever written.
   */
  async getXml(chk: CheckpointRef, flags: number): Promise<DomainCheckpointDef> {
    const { SECURE, NO_DOMAIN, SIZE } = CheckpointXmlFlags;
    checkFlags(flags, SECURE | NO_DOMAIN | SIZE, 'testDomainCheckpointGetXMLDesc');
    const d = this.domain(chk.domain);
    const c = this.find(d, chk.name);
    if (flags & SIZE && d.state === DomainState.SHUTOFF) throw domainInactive();
    if (!c.domain) return c.def;
    const domainXml = formatDomainXml({ ...c.domain, id: undefined }, { secure: (flags & SECURE) !== 0 });
    return { ...c.def, domainXml };
  }

  async delete(chk: CheckpointRef, flags: number): Promise<void> {
    const F = CheckpointDeleteFlags;
    checkFlags(flags, F.CHILDREN | F.METADATA_ONLY | F.CHILDREN_ONLY, 'testDomainCheckpointDelete');
    const d = this.domain(chk.domain);
    this.find(d, chk.name);
    const list = this.all(d);
    const plan = planMomentDelete(
      list.map((c) => c.def),
      chk.name,
      { children: (flags & F.CHILDREN) !== 0, childrenOnly: (flags & F.CHILDREN_ONLY) !== 0 },
      d.currentCheckpoint,
    );
    d.checkpoints = applyMomentDelete(
      list,
      (c) => c.def,
      (c, parent) => ({ ...c, def: withParent(c.def, parent) }),
      chk.name,
      plan,
    );
    d.currentCheckpoint = plan.current;
  }
}

function withParent(def: DomainCheckpointDef, parent: string | undefined): DomainCheckpointDef {
  const { parent: _old, ...rest } = def;
  return parent === undefined ? rest : { ...rest, parent };
}
