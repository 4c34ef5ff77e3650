export {
  type AttrList,
  childElements,
  childText,
  el,
  escapeXml,
  firstChild,
  type OutElement,
  type OutNode,
  parseXml,
  serializeElement,
  serializeXml,
  textOf,
  type XmlElement,
  type XmlNode,
} from './adapter.js';
export {
  type CapabilitiesDef,
  formatCapabilitiesXml,
  type GuestCaps,
  type HostCaps,
  parseCapabilitiesXml,
} from './capabilities/index.js';
export * from './checkpoint/index.js';
export * from './domain/index.js';
export * from './interface/index.js';
export {
  checkRange,
  effectivePrefix,
  FORWARD_MODES,
  type FormatNetworkOptions,
  type ForwardMode,
  formatNetworkXml,
  type IpAddr,
  type NetworkDef,
  type NetworkDns,
  type NetworkForward,
  type NetworkIp,
  type NetworkRoute,
  type PortGroup,
  parseDhcpHost,
  parseDnsHost,
  parseDnsSrv,
  parseDnsTxt,
  parseIp,
  parseNetworkElement,
  parseNetworkXml,
  parsePortGroup,
  sameSubnet,
  validateNetworkDef,
} from './network/index.js';
export * from './networkport/index.js';
export {
  type DomainSnapshotDef,
  type FormatSnapshotOptions,
  formatDomainSnapshotXml,
  type ParseSnapshotOptions,
  parseDomainSnapshotXml,
  SNAPSHOT_STATES,
  type SnapshotState,
} from './snapshot/index.js';
export {
  formatStoragePoolXml,
  formatStorageVolXml,
  type ParseStoragePoolOptions,
  type ParseStorageVolOptions,
  POOL_TYPES,
  parseStoragePoolElement,
  parseStoragePoolXml,
  parseStorageVolXml,
  type StoragePerms,
  type StoragePoolDef,
  type StoragePoolSource,
  type StoragePoolType,
  type StorageVolDef,
  type StorageVolTarget,
  VOL_TYPES,
} from './storage/index.js';
// The canonical writer, for drivers that format documents of their own (caches, status files).
export { a as xmlAttr, onoff as xmlOnOff, XmlWriter, yn as xmlYesNo } from './writer.js';
