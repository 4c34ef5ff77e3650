/** Network XML: model, parse, validate, format. */

export { effectivePrefix, type IpAddr, parseIp, sameSubnet } from './addresses.js';

export { FORWARD_DRIVER_NAMES, FORWARD_MODES } from './forward.js';
export { LEASE_UNITS } from './ip.js';
export { type FormatNetworkOptions, formatNetworkXml, parseNetworkElement, parseNetworkXml } from './network.js';
export type * from './types.js';
export { MAC_TABLE_MANAGERS } from './types.js';
export { validateNetworkDef } from './validate.js';
export { VIRTUALPORT_TYPES } from './virtualport.js';
export { VLAN_NATIVE_MODES } from './vlan.js';
