/**
 * Typed model of libvirt's domain snapshot XML (formatsnapshot). The embedded <domain> is kept
 * as XML text so this module does not depend on the domain XML modules.
 */
import type { XmlElement } from '../adapter.js';

export const SNAPSHOT_STATES = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
  'disk-snapshot',
] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];

export const SNAPSHOT_LOCATIONS = ['no', 'internal', 'external', 'manual'] as const;
export type SnapshotLocation = (typeof SNAPSHOT_LOCATIONS)[number];

export interface SnapshotDisk {
  /** Target (vda) or source path of the domain disk. */
  name: string;
  snapshot?: SnapshotLocation;
  /** Storage type of the new image: file, block, network... */
  type?: string;
  /** Image format (<driver type=.../>). */
  driverType?: string;
  /** The disk's <source> element, verbatim (disk sources belong to the domain XML modules). */
  source?: XmlElement;
}

export interface DomainSnapshotDef {
  name?: string;
  description?: string;
  state?: SnapshotState;
  /** Seconds since the epoch. */
  creationTime?: number;
  /** Name of the parent snapshot. */
  parent?: string;
  memory?: { snapshot?: SnapshotLocation; file?: string };
  disks?: SnapshotDisk[];
  /** The domain definition at snapshot time, as <domain> XML text. */
  domainXml?: string;
  /** The inactive (next boot) definition, as <domain> XML text (written as <inactiveDomain>). */
  inactiveDomainXml?: string;
  /** When only the domain's UUID is known: written as <domain><uuid>...</uuid></domain>. */
  domainUuid?: string;
  /** Hypervisor-private <cookie> content, verbatim. */
  cookie?: XmlElement;
  /** Status XML only: whether this is the current snapshot (<active>1</active>). */
  active?: boolean;
}
