/** Domain snapshot XML: model, parse, format. */
export {
  type FormatSnapshotOptions,
  formatDomainSnapshotXml,
  type ParseSnapshotOptions,
  parseDomainSnapshotXml,
} from './snapshot.js';
export type * from './types.js';
export { SNAPSHOT_LOCATIONS, SNAPSHOT_STATES } from './types.js';
