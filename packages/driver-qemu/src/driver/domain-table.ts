/** The driver's domains, indexed by UUID, name and running id, with libvirt's clash rules. */
import { type DomainDef, type DomainLookup, ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { isActive, type QemuDomainObj } from './domain-object.js';
import { noDomain } from './errors.js';

export class DomainTable {
  private readonly byUuid = new Map<string, QemuDomainObj>();
  private readonly byName = new Map<string, QemuDomainObj>();
  private readonly byId = new Map<number, QemuDomainObj>();
  private nextId = 1;

  all(): QemuDomainObj[] {
    return [...this.byUuid.values()];
  }

  find(by: DomainLookup): QemuDomainObj {
    if ('name' in by) {
      const d = this.byName.get(by.name);
      if (!d) throw noDomain(`name '${by.name}'`);
      return d;
    }
    if ('uuid' in by) {
      const d = this.byUuid.get(by.uuid);
      if (!d) throw noDomain(`uuid '${by.uuid}'`);
      return d;
    }
    const d = this.byId.get(by.id);
    if (!d) throw noDomain(`id '${by.id}'`);
    return d;
  }

  add(dom: QemuDomainObj): void {
    this.byUuid.set(dom.def.uuid, dom);
    this.byName.set(dom.def.name, dom);
    if (dom.id >= 0) {
      this.byId.set(dom.id, dom);
      this.nextId = Math.max(this.nextId, dom.id + 1);
    }
  }

  remove(dom: QemuDomainObj): void {
    this.byUuid.delete(dom.def.uuid);
    this.byName.delete(dom.def.name);
    if (dom.id >= 0) this.byId.delete(dom.id);
  }

  /** Give a starting domain the next running id. */
  assignId(dom: QemuDomainObj): number {
    this.setId(dom, this.nextId++);
    return dom.id;
  }

  setId(dom: QemuDomainObj, id: number): void {
    if (dom.id >= 0) this.byId.delete(dom.id);
    dom.id = id;
    if (id >= 0) this.byId.set(id, dom);
  }

  /**
   * libvirt's rule for a new definition: the same UUID must carry the same name, a name may
   * not be taken by another UUID, and (for create) the domain must not be running already.
   */
  checkClash(def: DomainDef, forStart: boolean): QemuDomainObj | undefined {
    const sameUuid = this.byUuid.get(def.uuid);
    if (sameUuid) {
      if (sameUuid.def.name !== def.name) {
        throw new VirError({
          code: ErrorCode.OPERATION_FAILED,
          domain: ErrorDomain.DOMAIN,
          detail: `domain '${sameUuid.def.name}' is already defined with uuid ${def.uuid}`,
        });
      }
      if (forStart && isActive(sameUuid)) {
        throw new VirError({
          code: ErrorCode.OPERATION_INVALID,
          domain: ErrorDomain.DOMAIN,
          detail: `domain '${def.name}' is already active`,
        });
      }
      return sameUuid;
    }
    const sameName = this.byName.get(def.name);
    if (sameName) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.DOMAIN,
        detail: `domain '${def.name}' already exists with uuid ${sameName.def.uuid}`,
      });
    }
    return undefined;
  }
}
