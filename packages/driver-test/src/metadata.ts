import { AffectFlags, type DomainRef, type DriverEvent, getDomainMetadata, setDomainMetadata } from '@tsvirt/core';
import { checkFlags } from './errors.js';
import type { TestDomain } from './state.js';
import { oneTargetOf, targetsOf } from './tuning.js';

const AFFECT = AffectFlags.LIVE | AffectFlags.CONFIG;

/**
 * virDomainSetMetadata on the test driver: the definitions LIVE/CONFIG/CURRENT choose all change
 * or none does (every copy is made before any is stored); the change is announced with a
 * metadata-change event.
 */
export function setTestMetadata(
  d: TestDomain,
  ref: DomainRef,
  args: { type: number; metadata?: string; key?: string; uri?: string; flags: number },
  emit: (e: DriverEvent) => void,
): void {
  checkFlags(args.flags, AFFECT, 'testDomainSetMetadata');
  const { live, config } = targetsOf(d, args.flags);
  const change = (def: TestDomain['def']) => setDomainMetadata(def, args.type, args.metadata, args.key, args.uri);
  const newLive = live && change(live.def);
  const newConfig = config && change(config.def);
  if (live && newLive) live.set(newLive);
  if (config && newConfig) config.set(newConfig);
  emit({ kind: 'domain-metadata-change', domain: ref, type: args.type, nsuri: args.uri });
}

/** virDomainGetMetadata on the test driver: one definition (LIVE, CONFIG or the current one). */
export function getTestMetadata(d: TestDomain, type: number, uri: string | undefined, flags: number): string {
  checkFlags(flags, AFFECT, 'testDomainGetMetadata');
  return getDomainMetadata(oneTargetOf(d, flags).def, type, uri);
}
