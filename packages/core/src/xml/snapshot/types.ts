/** Typed model of libvirt's domain snapshot XML (skeleton). */
export interface DomainSnapshotDef {
  name?: string;
  description?: string;
  state?: string;
  creationTime?: number;
  parent?: string;
}
