/** Typed model of libvirt's storage pool XML (formatstorage). Sizes in bytes. */
import type { StoragePoolType } from './formats.js';
import type { StoragePerms } from './permissions.js';
import type { PoolNamespaceData } from './pool-namespace.js';
import type { StoragePoolSource } from './pool-source.js';

export interface StoragePoolDef {
  type: StoragePoolType;
  name: string;
  /** Generated (v4) when the XML has none. */
  uuid: string;
  /** Run-time sizes: not read from definitions (libvirt ignores them), written as 0 when unset. */
  capacity?: number;
  allocation?: number;
  available?: number;
  /** <features><cow state=.../></features> (dir and fs pools). */
  features?: { cow?: boolean };
  source: StoragePoolSource;
  /** Absent for network pools (rbd, sheepdog, gluster, iscsi-direct). */
  target?: { path?: string; perms?: StoragePerms };
  /** <refresh><volume allocation=.../></refresh> (rbd). */
  refresh?: { volumeAllocation: 'default' | 'capacity' };
  /** Backend namespace data (fs mount options, rbd config options). */
  namespace?: PoolNamespaceData;
}

export type { SecretRef, StorageAuth } from './auth.js';
export type { StoragePoolType } from './formats.js';
export type { StoragePerms } from './permissions.js';
export type { FcHostAdapter, ScsiHostAdapter, StorageAdapter } from './pool-adapter.js';
export type { PoolNamespaceData } from './pool-namespace.js';
export type { PoolSourceDevice, PoolSourceHost, StoragePoolSource } from './pool-source.js';
