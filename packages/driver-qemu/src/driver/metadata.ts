/**
 * virDomainSetMetadata / virDomainGetMetadata for QEMU guests: the title, description and
 * <metadata> elements live in the domain XML, so a change is a new definition stored where that
 * definition lives (the persistent config file for CONFIG, the status file of the running guest
 * for LIVE); nothing reaches QEMU.
 */
import {
  AffectFlags,
  checkFlags,
  type DomainDef,
  type DomainRef,
  type DriverEvent,
  ErrorCode,
  ErrorDomain,
  getDomainMetadata,
  hasFlag,
  setDomainMetadata,
  VirError,
} from '@tsvirt/core';
import { isActive, persistentDef, type QemuDomainObj, refOf } from './domain-object.js';
import type { QemuDomains } from './domains.js';

const AFFECT = AffectFlags.LIVE | AffectFlags.CONFIG;

function invalid(detail: string): VirError {
  return new VirError({ code: ErrorCode.OPERATION_INVALID, domain: ErrorDomain.DOMAIN, detail });
}

/** libvirt's virDomainObjGetDefs: which definitions LIVE/CONFIG/CURRENT name, refusing what is absent. */
function chosen(d: QemuDomainObj, flags: number): { live: boolean; config: boolean } {
  let live = hasFlag(flags, AffectFlags.LIVE);
  let config = hasFlag(flags, AffectFlags.CONFIG);
  if (!live && !config) {
    live = isActive(d);
    config = !live;
  }
  if (live && !isActive(d)) throw invalid('domain is not running');
  if (config && !d.persistent) throw invalid('transient domains do not have any persistent config');
  return { live, config };
}

export interface SetMetadataArgs {
  type: number;
  metadata?: string;
  key?: string;
  uri?: string;
  flags: number;
}

export async function setQemuMetadata(
  domains: QemuDomains,
  emit: (e: DriverEvent) => void,
  ref: DomainRef,
  a: SetMetadataArgs,
): Promise<void> {
  checkFlags(a.flags, AFFECT, 'qemuDomainSetMetadata', ErrorDomain.QEMU);
  const d = domains.find(ref);
  await domains.job(d, async () => {
    const { live, config } = chosen(d, a.flags);
    const change = (def: DomainDef) => setDomainMetadata(def, a.type, a.metadata, a.key, a.uri);
    // Both copies are made (and the value checked) before either is stored.
    const newLive = live ? change(d.def) : undefined;
    const newConfig = config ? change(persistentDef(d)) : undefined;
    if (newLive) {
      d.def = newLive;
      await domains.saveStatus(d);
    }
    if (newConfig) await domains.storeConfig(d, newConfig);
    emit({ kind: 'domain-metadata-change', domain: refOf(d), type: a.type, nsuri: a.uri });
  });
}

export function getQemuMetadata(
  domains: QemuDomains,
  ref: DomainRef,
  type: number,
  uri: string | undefined,
  flags: number,
): string {
  // libvirt's qemu driver leaves the flag check to the shared domain code, which names itself.
  checkFlags(flags, AFFECT, 'virDomainObjGetMetadata', ErrorDomain.DOMAIN);
  const d = domains.find(ref);
  const { live } = chosen(d, flags);
  return getDomainMetadata(live ? d.def : persistentDef(d), type, uri);
}
