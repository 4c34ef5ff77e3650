export {
  getSelfIdentity,
  QemuCapsCache,
  type QemuCapsCacheOptions,
  type QemuCapsProber,
  type SelfIdentity,
} from './capabilities/cache.js';
export { formatQemuCapsCache, parseQemuCapsCache } from './capabilities/cache-xml.js';
export { formatQemuDomainCapabilities, type QemuDomainCapsOptions } from './capabilities/domain-caps.js';
export { QEMU_FLAG_ORDER, sortQemuFlags } from './capabilities/flag-order.js';
export { guestMachines, qemuGuestCaps } from './capabilities/guest-caps.js';
export {
  probeMain,
  probeQemuCaps,
  probeTcg,
  QEMU_MIN_VERSION,
  type QemuProbeOptions,
  type QemuProbePeers,
} from './capabilities/probe.js';
export { type ProbeBinaryOptions, probeQemuBinary } from './capabilities/probe-process.js';
export { newProbeState, type ProbeState } from './capabilities/probe-state.js';
export { QapiSchema } from './capabilities/qapi-schema.js';
export * from './capabilities/qemu-caps.js';
export * from './command/index.js';
export type { QemuDriverConfig } from './domain/config.js';
export { type FirmwareDescriptor, loadFirmwareDescriptors } from './domain/firmware/descriptor.js';
export { qemuDomainXmlHooks } from './domain/hooks.js';
export { QEMU_NAMESPACE_URI, type QemuNamespaceData, qemuNamespace } from './domain/namespace.js';
export { parseQemuDomainXml, prepareQemuDomain, type QemuDomainOptions } from './domain/prepare.js';
export {
  createQemuDriver,
  driver,
  type QemuBackends,
  type QemuDriverOptions,
  type QemuPaths,
  qemuPathsFor,
} from './driver/index.js';
export * from './qmp/index.js';
