/** Capabilities XML: model, parse, format. */
export { formatCapabilitiesXml, parseCapabilitiesXml } from './capabilities.js';
export type * from './types.js';
export { POWER_MANAGEMENT_TARGETS } from './types.js';
