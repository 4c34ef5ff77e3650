import { hasFlag, ListDomainsFlags, ListNetworksFlags } from './flags.js';
import { DomainState } from './states.js';

/** The facts about a domain that virConnectListAllDomains' filter flags test. */
export interface DomainListFacts {
  active: boolean;
  persistent: boolean;
  state: number;
  autostart: boolean;
  hasManagedSave: boolean;
  snapshotCount: number;
  checkpointCount?: number;
}

/** Does a pair of opposite flags (A, B) let `value` through? Neither or both set means yes. */
function pair(flags: number, whenTrue: number, whenFalse: number, value: boolean): boolean {
  const t = hasFlag(flags, whenTrue);
  const f = hasFlag(flags, whenFalse);
  if (t === f) return true;
  return t ? value : !value;
}

/** libvirt's list filter for domains: each group of flags narrows only when some of it is set. */
export function domainMatchesListFlags(flags: number, d: DomainListFacts): boolean {
  const F = ListDomainsFlags;
  if (!pair(flags, F.ACTIVE, F.INACTIVE, d.active)) return false;
  if (!pair(flags, F.PERSISTENT, F.TRANSIENT, d.persistent)) return false;
  const stateBits = F.RUNNING | F.PAUSED | F.SHUTOFF | F.OTHER;
  if (flags & stateBits) {
    const running = d.state === DomainState.RUNNING;
    const paused = d.state === DomainState.PAUSED;
    const shutoff = d.state === DomainState.SHUTOFF;
    const other = !running && !paused && !shutoff;
    const ok =
      (hasFlag(flags, F.RUNNING) && running) ||
      (hasFlag(flags, F.PAUSED) && paused) ||
      (hasFlag(flags, F.SHUTOFF) && shutoff) ||
      (hasFlag(flags, F.OTHER) && other);
    if (!ok) return false;
  }
  if (!pair(flags, F.MANAGEDSAVE, F.NO_MANAGEDSAVE, d.hasManagedSave)) return false;
  if (!pair(flags, F.AUTOSTART, F.NO_AUTOSTART, d.autostart)) return false;
  if (!pair(flags, F.HAS_SNAPSHOT, F.NO_SNAPSHOT, d.snapshotCount > 0)) return false;
  if (!pair(flags, F.HAS_CHECKPOINT, F.NO_CHECKPOINT, (d.checkpointCount ?? 0) > 0)) return false;
  return true;
}

/** The facts virConnectListAllNetworks / ListAllStoragePools filter on. */
export interface ObjectListFacts {
  active: boolean;
  persistent: boolean;
  autostart: boolean;
}

/** Networks and pools share the same six filter bits, with the same values (ListPoolsFlags). */
export function objectMatchesListFlags(flags: number, o: ObjectListFacts): boolean {
  const F = ListNetworksFlags;
  if (!pair(flags, F.ACTIVE, F.INACTIVE, o.active)) return false;
  if (!pair(flags, F.PERSISTENT, F.TRANSIENT, o.persistent)) return false;
  return pair(flags, F.AUTOSTART, F.NO_AUTOSTART, o.autostart);
}
