export { buildQemuCommandLine } from './build.js';
export { formatArgvLines, formatNativeArgv, type QemuCommandLine, shellQuote } from './command-line.js';
export type { QemuBuildContext } from './context.js';
