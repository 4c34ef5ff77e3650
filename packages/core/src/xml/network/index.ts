/** Network XML: model, parse, validate, format. */

// Element parsers for net-update (libvirt's virNetworkDefUpdateSection parses single elements).
export { checkRange, effectivePrefix, type IpAddr, parseIp, sameSubnet } from './addresses.js';
export { parseDnsHost, parseDnsSrv, parseDnsTxt } from './dns.js';
export { FORWARD_DRIVER_NAMES, FORWARD_MODES } from './forward.js';
export { LEASE_UNITS, parseDhcpHost } from './ip.js';
export { type FormatNetworkOptions, formatNetworkXml, parseNetworkElement, parseNetworkXml } from './network.js';
export { parsePortGroup } from './portgroup.js';
export type * from './types.js';
export { MAC_TABLE_MANAGERS } from './types.js';
export { validateNetworkDef } from './validate.js';
export { VIRTUALPORT_TYPES } from './virtualport.js';
export { VLAN_NATIVE_MODES } from './vlan.js';
