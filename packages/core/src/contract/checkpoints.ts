/** The optional checkpoint group of a hypervisor driver (virDomainCheckpoint*). */
import type { DomainCheckpointDef } from '../xml/checkpoint/types.js';
import { CheckpointListFlags as F } from './checkpoint-flags.js';
import { selectMoments } from './moment-tree.js';
import type { DomainRef } from './refs.js';

/** A checkpoint handle: its domain and name, as virDomainCheckpointPtr. */
export interface CheckpointRef {
  readonly domain: DomainRef;
  readonly name: string;
}

export interface DomainCheckpoints {
  /**
   * virDomainCheckpointCreateXML. The driver parses the XML (parseDomainCheckpointXml, with
   * `redefine` for REDEFINE) so its own checks come first, in libvirt's order.
   */
  create(ref: DomainRef, xml: string, flags: number): Promise<CheckpointRef>;
  /** virDomainListAllCheckpoints. */
  list(ref: DomainRef, flags: number): Promise<CheckpointRef[]>;
  /** virDomainCheckpointListAllChildren (all descendants with CheckpointListFlags.DESCENDANTS). */
  listChildren(chk: CheckpointRef, flags: number): Promise<CheckpointRef[]>;
  lookup(ref: DomainRef, name: string, flags: number): Promise<CheckpointRef>;
  getParent(chk: CheckpointRef, flags: number): Promise<CheckpointRef>;
  /** The definition to format; the driver fills in the <domain> (SECURE) and sizes (SIZE). */
  getXml(chk: CheckpointRef, flags: number): Promise<DomainCheckpointDef>;
  delete(chk: CheckpointRef, flags: number): Promise<void>;
}

/**
 * Which checkpoints a listing returns, as libvirt's virDomainListCheckpoints: the domain's
 * checkpoints in creation order (topological with TOPOLOGICAL), or the children of `from`.
 */
export function selectCheckpoints(
  all: readonly DomainCheckpointDef[],
  flags: number,
  from?: string,
): DomainCheckpointDef[] {
  return selectMoments(all, {
    from,
    rootsOrDescendants: (flags & F.ROOTS) !== 0,
    topological: (flags & F.TOPOLOGICAL) !== 0,
    leaves: (flags & F.LEAVES) !== 0,
    noLeaves: (flags & F.NO_LEAVES) !== 0,
  });
}
