import type { DriverConnection } from '../contract/driver.js';

/**
 * Capability negotiation. A feature is a dotted path into what the driver provides:
 *   'domain.lifecycle' (the group), 'domain.lifecycle.suspend' (one method), 'domain.snapshots',
 *   'network', 'network.defineNetwork', 'storage', 'storage.createVolume', 'interface', 'events'.
 * A driver may override the inference for features it declares off (or on) by supportsFeature().
 */
export function supportsFeature(conn: DriverConnection, feature: string): boolean {
  const declared = conn.supportsFeature?.(feature);
  if (declared !== undefined) return declared;
  const [head, ...rest] = feature.split('.');
  const roots: Record<string, unknown> = {
    domain: conn.hypervisor,
    network: conn.network,
    storage: conn.storage,
    interface: conn.interfaces,
    events: conn.events,
  };
  let node: unknown = head === undefined ? undefined : roots[head];
  for (const part of rest) {
    if (node === null || (typeof node !== 'object' && typeof node !== 'function')) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== undefined && node !== null;
}

/** Every feature path core knows how to ask about, for listings (`tsvirsh` and docs). */
export const KNOWN_FEATURES = [
  'domain.lifecycle',
  'domain.lifecycle.defineXml',
  'domain.lifecycle.createXml',
  'domain.lifecycle.undefine',
  'domain.lifecycle.create',
  'domain.lifecycle.destroy',
  'domain.lifecycle.shutdown',
  'domain.lifecycle.reboot',
  'domain.lifecycle.suspend',
  'domain.lifecycle.resume',
  'domain.lifecycle.getInfo',
  'domain.lifecycle.getState',
  'domain.lifecycle.setAutostart',
  'domain.snapshots',
  'domain.checkpoints',
  'domain.stats',
  'domain.cpuTuning',
  'domain.iothreads',
  'domain.console',
  'domain.monitor',
  'domain.tuning',
  'domain.guestInfo',
  'network',
  'network.defineNetwork',
  'network.startNetwork',
  'storage',
  'storage.listVolumes',
  'storage.createVolume',
  'storage.uploadVolume',
  'storage.downloadVolume',
  'interface',
  'interface.defineInterface',
  'interface.changeBegin',
  'events',
] as const;
