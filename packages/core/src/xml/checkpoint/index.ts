/** Domain checkpoint XML: model, parse, format. */
export {
  type FormatCheckpointOptions,
  formatDomainCheckpointXml,
  type ParseCheckpointOptions,
  parseDomainCheckpointXml,
} from './checkpoint.js';
export type * from './types.js';
export { CHECKPOINT_DISK_TYPES } from './types.js';
