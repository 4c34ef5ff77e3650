/**
 * The qemu driver's descriptor: qemu:///system, qemu:///session and qemu:///embed?root=DIR,
 * all run in the caller's process (no daemon). Connections to the same directories share one
 * driver state.
 */
import {
  CONTRACT_VERSION,
  type ConnectUri,
  DECLINED,
  type DriverDescriptor,
  ErrorCode,
  type OpenOptions,
} from '@tsvirt/core';
import type { QemuBackends } from './backends.js';
import { QemuConnection } from './connection.js';
import { QemuDriverState } from './driver-state.js';
import { qemuError } from './errors.js';
import { type QemuPaths, qemuPathsFor } from './paths.js';

export interface QemuDriverOptions {
  /** Builds the modules the driver runs on for a set of paths (capabilities cache dir etc.). */
  readonly backends: (paths: QemuPaths) => QemuBackends;
  /** virConnectGetVersion: the default emulator's version. */
  readonly version: (backends: QemuBackends) => Promise<number>;
  readonly warn?: (message: string) => void;
}

interface SharedState {
  readonly state: QemuDriverState;
  refs: number;
}

export function createQemuDriver(options: QemuDriverOptions): DriverDescriptor {
  const shared = new Map<string, Promise<SharedState>>();
  const warn = options.warn ?? ((m: string) => process.emitWarning(m));

  async function acquire(paths: QemuPaths, netns: string | undefined): Promise<SharedState> {
    let entry = shared.get(paths.configDir);
    if (!entry) {
      entry = (async () => {
        const state = new QemuDriverState(paths, options.backends(paths), warn, netns);
        await state.load();
        return { state, refs: 0 };
      })();
      shared.set(paths.configDir, entry);
      entry.catch(() => shared.delete(paths.configDir));
    }
    const s = await entry;
    s.refs++;
    return s;
  }

  return {
    contractVersion: CONTRACT_VERSION,
    name: 'qemu',
    uriSchemes: ['qemu'],
    localOnly: true,
    embeddable: true,
    async open(uri: ConnectUri, openOptions: OpenOptions) {
      if (uri.driver !== 'qemu' || uri.host !== undefined || uri.transport !== undefined) return DECLINED;
      const systemRoot = openOptions.config?.systemRoot;
      const paths = qemuPathsFor(uri, process.env, typeof systemRoot === 'string' ? systemRoot : undefined);
      if (!paths) {
        throw qemuError(
          ErrorCode.INTERNAL_ERROR,
          `unexpected QEMU URI path '${uri.path}', try qemu:///system, qemu:///session or qemu:///embed`,
        );
      }
      if (paths.kind === 'system' && process.getuid?.() !== 0) {
        throw qemuError(ErrorCode.OPERATION_DENIED, 'qemu:///system needs root; use qemu:///session');
      }
      // config.netns: QEMU runs inside that network namespace (tests, or a host's own layout).
      const netns = openOptions.config?.netns;
      const entry = await acquire(paths, typeof netns === 'string' && netns !== '' ? netns : undefined);
      const { state } = entry;
      return new QemuConnection(
        state,
        uri.raw,
        () => options.version(state.backends),
        () => {
          if (--entry.refs > 0) return;
          shared.delete(paths.configDir);
          state.detach();
        },
        typeof openOptions.config?.hostRoot === 'string' ? openOptions.config.hostRoot : '/',
      );
    },
  };
}
