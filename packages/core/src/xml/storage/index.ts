/** Storage pool and volume XML: models, parse, format. */

export { ENCRYPTION_ENGINES, ENCRYPTION_FORMATS } from './encryption.js';
export {
  POOL_DISK_FORMATS,
  POOL_FS_FORMATS,
  POOL_LOGICAL_FORMATS,
  POOL_NETFS_FORMATS,
  POOL_TYPE_INFO,
  POOL_TYPES,
  VOL_DISK_FORMATS,
  VOL_FEATURES,
  VOL_FILE_FORMATS,
  VOL_TYPES,
} from './formats.js';
export { sanitizePath } from './path.js';
export {
  formatStoragePoolXml,
  type ParseStoragePoolOptions,
  parseStoragePoolElement,
  parseStoragePoolXml,
} from './pool.js';
export type * from './pool-types.js';
export { formatStorageVolXml, type ParseStorageVolOptions, parseStorageVolXml } from './vol.js';
export type * from './vol-types.js';
