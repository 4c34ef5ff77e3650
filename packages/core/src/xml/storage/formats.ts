/**
 * What each pool type has: which <source> parts it requires and writes, its pool formats,
 * and the formats its volumes may have (libvirt's per-backend option table).
 */

export const POOL_TYPES = [
  'dir',
  'fs',
  'netfs',
  'logical',
  'disk',
  'iscsi',
  'iscsi-direct',
  'scsi',
  'mpath',
  'rbd',
  'sheepdog',
  'gluster',
  'zfs',
  'vstorage',
] as const;
export type StoragePoolType = (typeof POOL_TYPES)[number];

export const POOL_FS_FORMATS = [
  'auto',
  'ext2',
  'ext3',
  'ext4',
  'ufs',
  'iso9660',
  'udf',
  'gfs',
  'gfs2',
  'vfat',
  'hfs+',
  'xfs',
  'ocfs2',
  'vmfs',
] as const;
export const POOL_NETFS_FORMATS = ['auto', 'nfs', 'glusterfs', 'cifs'] as const;
export const POOL_DISK_FORMATS = ['unknown', 'dos', 'dvh', 'gpt', 'mac', 'bsd', 'pc98', 'sun', 'lvm2'] as const;
export const POOL_LOGICAL_FORMATS = ['unknown', 'lvm2'] as const;

export const VOL_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'] as const;
export type StorageVolType = (typeof VOL_TYPES)[number];

/** Image formats of file-backed volumes ("none" is not accepted on input). */
export const VOL_FILE_FORMATS = [
  'none',
  'raw',
  'dir',
  'bochs',
  'cloop',
  'dmg',
  'iso',
  'vpc',
  'vdi',
  'fat',
  'vhd',
  'ploop',
  'luks',
  'cow',
  'qcow',
  'qcow2',
  'qed',
  'vmdk',
] as const;
/** Partition types of volumes in a disk pool. */
export const VOL_DISK_FORMATS = [
  'none',
  'linux',
  'fat16',
  'fat32',
  'linux-swap',
  'linux-lvm',
  'linux-raid',
  'extended',
] as const;

export const VOL_FEATURES = ['lazy_refcounts', 'extended_l2'] as const;
export type StorageVolFeature = (typeof VOL_FEATURES)[number];

/** Source parts a pool type uses. */
export interface PoolSourceFlags {
  host?: boolean;
  device?: boolean;
  dir?: boolean;
  adapter?: boolean;
  name?: boolean;
  initiatorIqn?: boolean;
  /** Network storage: no local target path. */
  network?: boolean;
}

export interface PoolTypeInfo {
  flags: PoolSourceFlags;
  /** Pool source formats and the default (written even when not given). */
  poolFormats?: readonly string[];
  defaultPoolFormat?: string;
  /** Volume formats and the default. */
  volFormats?: readonly string[];
  defaultVolFormat?: string;
}

const fileVols = { volFormats: VOL_FILE_FORMATS, defaultVolFormat: 'raw' } as const;

export const POOL_TYPE_INFO: Record<StoragePoolType, PoolTypeInfo> = {
  dir: { flags: {}, ...fileVols },
  fs: { flags: { device: true }, poolFormats: POOL_FS_FORMATS, defaultPoolFormat: 'auto', ...fileVols },
  netfs: { flags: { host: true, dir: true }, poolFormats: POOL_NETFS_FORMATS, defaultPoolFormat: 'auto', ...fileVols },
  logical: { flags: { name: true, device: true }, poolFormats: POOL_LOGICAL_FORMATS, defaultPoolFormat: 'lvm2' },
  disk: {
    flags: { device: true },
    poolFormats: POOL_DISK_FORMATS,
    defaultPoolFormat: 'unknown',
    volFormats: VOL_DISK_FORMATS,
    defaultVolFormat: 'none',
  },
  iscsi: { flags: { host: true, device: true, initiatorIqn: true } },
  'iscsi-direct': { flags: { host: true, device: true, network: true, initiatorIqn: true } },
  scsi: { flags: { adapter: true } },
  mpath: { flags: {} },
  rbd: { flags: { host: true, network: true, name: true }, ...fileVols },
  sheepdog: { flags: { host: true, network: true, name: true } },
  gluster: { flags: { host: true, network: true, name: true, dir: true }, ...fileVols },
  zfs: { flags: { name: true, device: true } },
  vstorage: { flags: { name: true }, ...fileVols },
};

/** A volume format name accepted for input in a pool of this type ("none" only for disk pools). */
export function isVolFormat(info: PoolTypeInfo, format: string): boolean {
  if (!info.volFormats) return false;
  if (format === 'none' && info.volFormats === VOL_FILE_FORMATS) return false;
  return info.volFormats.includes(format);
}
