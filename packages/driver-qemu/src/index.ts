export { formatQemuCapsCache, parseQemuCapsCache } from './capabilities/cache-xml.js';
export * from './capabilities/qemu-caps.js';
export * from './command/index.js';
