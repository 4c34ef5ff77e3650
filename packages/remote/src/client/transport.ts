import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ConnectUri, ErrorCode, ErrorDomain, strerror, uriParam, VirError } from '@tsvirt/core';
import { CommandStream } from './command-stream.js';
import { defaultUnixSocket, type SocketEnv } from './socket-paths.js';
import { sshArgv, sshProxyOf, sshRemoteCommand } from './ssh.js';
import { DEFAULT_TLS_PORT, openTls, type TlsCredentialPaths, type TlsPathEnv, tlsCredentialPaths } from './tls.js';

/** libvirtd's default TCP port (libvirtd.conf tcp_port). */
export const DEFAULT_TCP_PORT = 16509;

/** Where a URI says to connect: a unix socket, a TCP or TLS host and port, or a command (ssh). */
export type Endpoint =
  | { kind: 'unix'; path: string; label: string }
  | { kind: 'tcp'; host: string; port: number; label: string }
  | { kind: 'tls'; host: string; port: number; label: string; paths: TlsCredentialPaths; noVerify: boolean }
  | { kind: 'command'; argv: string[]; label: string };

/** What endpointFor reads besides the URI; tests inject these so no host path is consulted. */
export interface EndpointEnv {
  socket?: SocketEnv;
  tls?: TlsPathEnv;
}

/**
 * The endpoint of a URI: `+unix` (`?socket=`, else libvirt's default socket), `+tcp` (port 16509),
 * `+tls` (port 16514; also the transport of a URI with a host and no `+`), `+ssh` (the system ssh
 * relaying to the far daemon), `+ext` (`command=` run locally). `serverUri` is what the far side should open (for virt-ssh-helper).
 */
export function endpointFor(uri: ConnectUri, readOnly: boolean, serverUri = '', ee: EndpointEnv = {}): Endpoint {
  const transport = (uri.transport ?? (uri.host ? 'tls' : 'unix')).toLowerCase();
  switch (transport) {
    case 'unix': {
      if (uri.host) {
        throw new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.REMOTE,
          message: `invalid argument: using unix socket and remote server '${uri.host}' is not supported.`,
        });
      }
      const path = uriParam(uri, 'socket') || defaultUnixSocket(uri, readOnly, ee.socket);
      return { kind: 'unix', path, label: path };
    }
    case 'tcp': {
      const host = uri.host || 'localhost';
      const port = uri.port ?? DEFAULT_TCP_PORT;
      return { kind: 'tcp', host, port, label: `${host}:${port}` };
    }
    case 'tls': {
      const host = uri.host || 'localhost';
      const port = uri.port ?? DEFAULT_TLS_PORT;
      const noVerify = (uriParam(uri, 'no_verify') ?? '0') !== '0';
      const paths = tlsCredentialPaths(uriParam(uri, 'pkipath'), ee.tls);
      return { kind: 'tls', host, port, label: `${host}:${port}`, paths, noVerify };
    }
    case 'ssh': {
      // The far host's system socket (legacy naming, as libvirt) unless `socket=` names another.
      const socket =
        uriParam(uri, 'socket') ||
        defaultUnixSocket(uri, readOnly, { ...ee.socket, uid: 0, exists: () => false }, 'ssh');
      const command = sshRemoteCommand({
        proxy: sshProxyOf(uri),
        netcat: uriParam(uri, 'netcat') || undefined,
        socket,
        driverUri: serverUri,
        readOnly,
      });
      const who = uri.user ? `${uri.user}@` : '';
      const where = `${who}${uri.host || 'localhost'}${uri.port ? `:${uri.port}` : ''}`;
      return { kind: 'command', argv: sshArgv(uri, command), label: `${where} (ssh)` };
    }
    case 'ext': {
      // libvirt runs the named program with no arguments and speaks RPC over its stdin/stdout.
      const command = uriParam(uri, 'command');
      if (!command) {
        throw new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.REMOTE,
          message: "invalid argument: remote_open: for 'ext' transport, command is required",
        });
      }
      return { kind: 'command', argv: [command], label: `${command} (ext)` };
    }
    default:
      throw new VirError({
        code: ErrorCode.NO_SUPPORT,
        domain: ErrorDomain.REMOTE,
        message: `transport '${transport}' is not supported yet by @tsvirt/remote (supported: unix, tcp, tls, ssh, ext)`,
      });
  }
}

/** Open the byte stream an endpoint names: a socket, a TLS session past its verdict byte, or a command's pipes. */
export function openStream(ep: Endpoint, timeoutMs = 30_000): Promise<Duplex> {
  if (ep.kind === 'tls') {
    return openTls({ host: ep.host, port: ep.port, paths: ep.paths, noVerify: ep.noVerify, timeoutMs });
  }
  if (ep.kind === 'command') return CommandStream.open(ep.argv);
  return openSocket(ep, timeoutMs);
}

/** Open the socket; connection failures become libvirt's "unable to connect" system errors. */
export function openSocket(ep: Extract<Endpoint, { kind: 'unix' | 'tcp' }>, timeoutMs = 30_000): Promise<Socket> {
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
