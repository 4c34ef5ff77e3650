/**
 * What the life-cycle code needs from a QEMU monitor connection. The QMP client (src/qmp)
 * provides it; keeping the driver on this small surface keeps the two independent.
 */
export interface QemuMonitor {
  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T>;
  /** Events in the order QEMU sent them; the returned function unsubscribes. */
  onEvent(listener: (event: string, data: Record<string, unknown>) => void): () => void;
  /** Called once when the socket closes (QEMU exited or the connection broke). */
  onClose(listener: () => void): void;
  close(): void;
}

/** Connects to the QMP socket at `path` and finishes the capabilities handshake. */
export type MonitorConnector = (path: string, timeoutMs: number) => Promise<QemuMonitor>;
