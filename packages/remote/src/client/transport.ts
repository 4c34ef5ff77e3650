import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectUri, ErrorCode, ErrorDomain, strerror, uriParam, VirError } from '@tsvirt/core';

/** libvirtd's default TCP port (libvirtd.conf tcp_port). */
export const DEFAULT_TCP_PORT = 16509;

/** Where a URI says to connect: a unix socket path or a TCP host and port. */
export type Endpoint =
  | { kind: 'unix'; path: string; label: string }
  | { kind: 'tcp'; host: string; port: number; label: string };

/**
 * The unix socket libvirt's client picks when no `?socket=` is given: the session daemon's socket
 * under $XDG_RUNTIME_DIR for `/session` URIs of unprivileged users, else the system socket
 * (read-only connections use the `-ro` socket).
 */
export function defaultUnixSocket(uri: ConnectUri, readOnly: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (uri.path === '/session' && !root) {
    const runtime = env.XDG_RUNTIME_DIR || `${env.HOME ?? ''}/.cache`;
    return `${runtime}/libvirt/libvirt-sock`;
  }
  return readOnly ? '/run/libvirt/libvirt-sock-ro' : '/run/libvirt/libvirt-sock';
}

/** The endpoint of a `DRIVER+unix://` or `DRIVER+tcp://` URI; other transports are refused clearly. */
export function endpointFor(uri: ConnectUri, readOnly: boolean): Endpoint {
  const transport = uri.transport ?? (uri.host ? 'tls' : 'unix');
  switch (transport) {
    case 'unix': {
      if (uri.host) {
        throw new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.REMOTE,
          message: `invalid argument: using unix socket and remote server '${uri.host}' is not supported.`,
        });
      }
      const path = uriParam(uri, 'socket') || defaultUnixSocket(uri, readOnly);
      return { kind: 'unix', path, label: path };
    }
    case 'tcp': {
      const host = uri.host || 'localhost';
      const port = uri.port ?? DEFAULT_TCP_PORT;
      return { kind: 'tcp', host, port, label: `${host}:${port}` };
    }
    default:
      throw new VirError({
        code: ErrorCode.NO_SUPPORT,
        domain: ErrorDomain.REMOTE,
        message: `transport '${transport}' is not supported yet by @tsvirt/remote (supported: unix, tcp)`,
      });
  }
}

/** Open the socket; connection failures become libvirt's "unable to connect" system errors. */
export function openSocket(ep: Endpoint, timeoutMs = 30_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = ep.kind === 'unix' ? netConnect({ path: ep.path }) : netConnect({ host: ep.host, port: ep.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new VirError({
          code: ErrorCode.OPERATION_TIMEOUT,
          domain: ErrorDomain.RPC,
          message: `Timed out connecting to ${ep.label}`,
        }),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay?.(true);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const what =
        ep.kind === 'unix'
          ? `Failed to connect socket to '${ep.path}'`
          : `unable to connect to server at '${ep.label}'`;
      reject(
        new VirError({
          code: ErrorCode.SYSTEM_ERROR,
          domain: ErrorDomain.RPC,
          message: `${what}: ${strerror(err)}`,
          cause: err,
          int1: typeof err.errno === 'number' ? -err.errno : -1,
        }),
      );
    });
  });
}
