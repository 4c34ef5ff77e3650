export { buildQemuCommandLine } from './build.js';
export { formatArgvLines, formatNativeArgv, type QemuCommandLine, shellQuote } from './command-line.js';
export type { QemuBuildContext } from './context.js';
export { QEMU_NAMESPACE_URI, type QemuNamespaceData, qemuNamespace } from './qemu-namespace.js';
