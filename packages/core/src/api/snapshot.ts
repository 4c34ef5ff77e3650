import type { SnapshotRef } from '../contract/refs.js';
import type { Domain } from './domain.js';

interface SnapshotOps {
  getXml(flags: number): Promise<string>;
  revert(flags: number): Promise<void>;
  delete(flags: number): Promise<void>;
  parent(): Promise<DomainSnapshot>;
  children(flags: number): Promise<DomainSnapshot[]>;
}

/** A domain snapshot handle, as virDomainSnapshotPtr. */
export class DomainSnapshot {
  constructor(
    private readonly ops: SnapshotOps,
    readonly handle: SnapshotRef,
    readonly domain: Domain,
  ) {}

  getName(): string {
    return this.handle.name;
  }
  async getXmlDesc(flags = 0): Promise<string> {
    return this.ops.getXml(flags);
  }
  async revert(flags = 0): Promise<void> {
    return this.ops.revert(flags);
  }
  async delete(flags = 0): Promise<void> {
    return this.ops.delete(flags);
  }
  async getParent(): Promise<DomainSnapshot> {
    return this.ops.parent();
  }
  /** virDomainSnapshotListAllChildren: direct children, or every descendant with DESCENDANTS. */
  async listAllChildren(flags = 0): Promise<DomainSnapshot[]> {
    return this.ops.children(flags);
  }
}
