export { formatNetworkPortXml } from './format.js';
export { parseNetworkPortElement, parseNetworkPortXml } from './parse.js';
export * from './types.js';
