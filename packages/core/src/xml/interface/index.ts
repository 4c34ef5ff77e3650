export { formatHostInterfaceXml } from './format.js';
export { parseHostInterfaceElement, parseHostInterfaceXml } from './parse.js';
export * from './types.js';
