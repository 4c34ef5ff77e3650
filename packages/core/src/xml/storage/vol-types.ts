/** Typed model of libvirt's storage volume XML (formatstorage). Sizes in bytes. */
import type { StorageVolType } from './formats.js';
import type { StorageVolTarget } from './target.js';

export interface StorageVolExtent {
  path: string;
  start: number;
  end: number;
}

export interface StorageVolDef {
  /** Defaults to 'file' on output. */
  type?: StorageVolType;
  name: string;
  /** Normally set by the pool (path for file pools, LV UUID for LVM). */
  key?: string;
  capacity?: number;
  /** Defaults to the capacity when not given. */
  allocation?: number;
  /** Output only: size on disk, when a driver knows it. */
  physical?: number;
  /** Physical extents (disk and logical pools), filled in by a pool refresh. */
  source?: { extents: StorageVolExtent[] };
  target?: StorageVolTarget;
  backingStore?: StorageVolTarget;
}

export type { EncryptionSecret, StorageEncryption } from './encryption.js';
export type { StorageVolType } from './formats.js';
export type { StorageVolTarget, VolTimestamps } from './target.js';
