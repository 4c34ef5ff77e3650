/** The driver's domains, indexed by UUID, name and running id, with libvirt's clash rules. */
import { checkDomainDefinitionClash, type DomainDef, type DomainLookup } from '@tsvirt/core';
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

  /** libvirt's clash rule for a new definition; answers the domain it updates, if any. */
  checkClash(def: DomainDef, forStart: boolean): QemuDomainObj | undefined {
    const known = (d: QemuDomainObj | undefined) => d && { name: d.def.name, uuid: d.def.uuid, active: isActive(d) };
    const updates = checkDomainDefinitionClash(
      def,
      { byUuid: (u) => known(this.byUuid.get(u)), byName: (n) => known(this.byName.get(n)) },
      forStart,
    );
    return updates ? this.byUuid.get(def.uuid) : undefined;
  }
}
