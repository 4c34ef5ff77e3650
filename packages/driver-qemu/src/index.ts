export { formatQemuCapsCache, parseQemuCapsCache } from './capabilities/cache-xml.js';
export * from './capabilities/qemu-caps.js';
export type { QemuDriverConfig } from './domain/config.js';
export { type FirmwareDescriptor, loadFirmwareDescriptors } from './domain/firmware/descriptor.js';
export { qemuDomainXmlHooks } from './domain/hooks.js';
export { QEMU_NAMESPACE_URI, type QemuNamespaceData, qemuNamespace } from './domain/namespace.js';
export { parseQemuDomainXml, prepareQemuDomain, type QemuDomainOptions } from './domain/prepare.js';
