/**
 * Which snapshots a snapshot listing returns, for every driver: libvirt's list semantics over a
 * domain's snapshot tree. Each filter group (leaves, metadata, state, location) only narrows
 * when one of its flags is set, and the groups combine with "and".
 */
import type { DomainSnapshotDef } from '../xml/snapshot/types.js';
import { SnapshotListFlags as F } from './flags.js';
import { selectMoments } from './moment-tree.js';

/**
 * The snapshots of one domain in creation order, optionally listing only the children of
 * `from` (all its descendants with DESCENDANTS).
 */
export function selectSnapshots(all: readonly DomainSnapshotDef[], flags: number, from?: string): DomainSnapshotDef[] {
  const picked = selectMoments(all, {
    from,
    rootsOrDescendants: (flags & F.ROOTS) !== 0,
    topological: (flags & F.TOPOLOGICAL) !== 0,
    leaves: (flags & F.LEAVES) !== 0,
    noLeaves: (flags & F.NO_LEAVES) !== 0,
  });
  return picked.filter((s) => matchesFilters(s, flags));
}

function matchesFilters(s: DomainSnapshotDef, flags: number): boolean {
  // Every snapshot a driver lists has metadata: NO_METADATA alone matches none.
  if (flags & F.NO_METADATA && !(flags & F.METADATA)) return false;
  const byState = flags & (F.INACTIVE | F.ACTIVE | F.DISK_ONLY);
  if (byState && !(byState & stateFlag(s))) return false;
  const byLocation = flags & (F.INTERNAL | F.EXTERNAL);
  if (byLocation && !(byLocation & (isExternal(s) ? F.EXTERNAL : F.INTERNAL))) return false;
  return true;
}

function stateFlag(s: DomainSnapshotDef): number {
  if (s.state === 'disk-snapshot') return F.DISK_ONLY;
  return s.state === 'shutoff' ? F.INACTIVE : F.ACTIVE;
}

/** External: the memory or any disk was saved to a separate file. */
function isExternal(s: DomainSnapshotDef): boolean {
  return s.memory?.snapshot === 'external' || (s.disks ?? []).some((d) => d.snapshot === 'external');
}
