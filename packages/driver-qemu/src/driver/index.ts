import type { DriverDescriptor } from '@tsvirt/core';
import { DEFAULT_EMULATOR } from './backends.js';
import { defaultBackends } from './default-backends.js';
import { createQemuDriver } from './descriptor.js';

export type { CommandContext, CommandLine, QemuBackends } from './backends.js';
export { createQemuDriver, type QemuDriverOptions } from './descriptor.js';
export { type QemuPaths, type QemuUriKind, qemuPathsFor } from './paths.js';

/** The qemu driver with its real modules: what `connect('qemu:///...')` finds. */
export const driver: DriverDescriptor = createQemuDriver({
  backends: (paths) => defaultBackends(paths),
  version: async (backends) => (await backends.capsFor(DEFAULT_EMULATOR)).version,
});
