export {
  parseXml,
  serializeXml,
  serializeElement,
  el,
  escapeXml,
  childElements,
  firstChild,
  textOf,
  childText,
  type XmlElement,
  type XmlNode,
  type OutElement,
  type OutNode,
  type AttrList,
} from './adapter.js';
export type { DomainDef } from './domain/types.js';
export type { NetworkDef } from './network/types.js';
export type { StoragePoolDef } from './storage/pool-types.js';
export type { StorageVolDef } from './storage/vol-types.js';
export type { CapabilitiesDef } from './capabilities/types.js';
export type { DomainSnapshotDef } from './snapshot/types.js';
