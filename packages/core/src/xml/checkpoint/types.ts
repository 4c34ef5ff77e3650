/**
 * Typed model of libvirt's domain checkpoint XML (formatcheckpoint). As for snapshots, the
 * embedded <domain> is kept as XML text so this module does not depend on the domain modules.
 */

/** What a disk's checkpoint records: nothing, or a dirty bitmap. */
export const CHECKPOINT_DISK_TYPES = ['no', 'bitmap'] as const;
export type CheckpointDiskType = (typeof CHECKPOINT_DISK_TYPES)[number];

export interface CheckpointDisk {
  /** Target (vda) or source path of the domain disk. */
  name: string;
  /** Absent in XML means bitmap. */
  checkpoint?: CheckpointDiskType;
  /** Name of the bitmap; defaults to the checkpoint's name. */
  bitmap?: string;
  /** Bytes the bitmap would copy (VIR_DOMAIN_CHECKPOINT_XML_SIZE), when the driver knows it. */
  size?: number;
}

export interface DomainCheckpointDef {
  name?: string;
  description?: string;
  /** Name of the parent checkpoint. */
  parent?: string;
  /** Seconds since the epoch. */
  creationTime?: number;
  disks?: CheckpointDisk[];
  /** The domain definition at checkpoint time, as <domain> XML text. */
  domainXml?: string;
}
