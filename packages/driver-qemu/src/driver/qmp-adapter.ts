/** The QMP client (src/qmp) seen through the driver's QemuMonitor surface. */
import { QmpMonitor } from '../qmp/index.js';
import type { MonitorConnector, QemuMonitor } from './monitor.js';

export function asQemuMonitor(qmp: QmpMonitor): QemuMonitor {
  return {
    execute: <T>(command: string, args?: Record<string, unknown>) => qmp.execute(command, args) as Promise<T>,
    onEvent: (listener) => qmp.onEvent((e) => listener(e.event, (e.data ?? {}) as Record<string, unknown>)),
    onClose: (listener) => {
      qmp.onClose(() => listener());
    },
    close: () => qmp.close(),
  };
}

/** Connect to a QEMU monitor socket, retrying while QEMU is still creating it. */
export const connectQmp: MonitorConnector = async (path, timeoutMs) =>
  asQemuMonitor(await QmpMonitor.connect(path, { connectTimeoutMs: timeoutMs }));
