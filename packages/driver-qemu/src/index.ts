export { formatQemuCapsCache, parseQemuCapsCache } from './capabilities/cache-xml.js';
export * from './capabilities/qemu-caps.js';
export { qemuDomainXmlHooks } from './domain/hooks.js';
