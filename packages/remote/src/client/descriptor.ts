import { CONTRACT_VERSION, type ConnectUri, DECLINED, type DriverDescriptor, type OpenOptions } from '@tsvirt/core';
import { openRemote } from './remote-connection.js';

/** Transports this version handles; others are declined so another driver may take them. */
const TRANSPORTS = new Set(['unix', 'tcp', 'tls', 'ssh', 'ext']);

/**
 * libvirt's remote driver: every `DRIVER+unix://`, `+tcp://`, `+tls://`, `+ssh://` and `+ext://` URI (and `remote://`) goes
 * to a libvirt-compatible daemon over the RPC protocol.
 */
export const driver: DriverDescriptor = {
  contractVersion: CONTRACT_VERSION,
  name: 'remote',
  uriSchemes: ['remote'],
  remoteOnly: true,
  async open(uri: ConnectUri, options: OpenOptions) {
    const transport = uri.transport?.toLowerCase() ?? (uri.host ? 'tls' : undefined);
    if (transport === undefined || !TRANSPORTS.has(transport)) return DECLINED;
    const cfg = options.config ?? {};
    return openRemote(uri, {
      readOnly: options.readOnly,
      timeoutMs: typeof cfg.callTimeoutMs === 'number' ? cfg.callTimeoutMs : undefined,
      connectTimeoutMs: typeof cfg.connectTimeoutMs === 'number' ? cfg.connectTimeoutMs : undefined,
      keepalive: {
        interval: typeof cfg.keepaliveInterval === 'number' ? cfg.keepaliveInterval : undefined,
        count: typeof cfg.keepaliveCount === 'number' ? cfg.keepaliveCount : undefined,
      },
    });
  },
};
