import { existsSync } from 'node:fs';
import { type ConnectUri, ErrorCode, ErrorDomain, uriParam, VirError } from '@tsvirt/core';

/** How the client picks a daemon's socket (URI `mode=`, libvirt.conf `remote_mode`). */
export type SocketMode = 'auto' | 'legacy' | 'direct';

/** What the socket choice depends on; injectable so tests touch no host path. */
export interface SocketEnv {
  env?: NodeJS.ProcessEnv;
  /** Effective uid (default: this process's). */
  uid?: number;
  /** Does a path exist? (default: the filesystem). */
  exists?: (path: string) => boolean;
  /** The mode used when `auto` finds neither socket: libvirt's build-time choice, 'legacy' in Debian 12's libvirt 9.0 (upstream's default is 'direct'). */
  fallbackMode?: 'legacy' | 'direct';
}

/** libvirt's system sockets live under LOCALSTATEDIR/run (it avoids assuming the far host has /run). */
const SYSTEM_SOCKET_DIR = '/var/run/libvirt';

function effectiveUid(se: SocketEnv): number {
  if (se.uid !== undefined) return se.uid;
  return typeof process.geteuid === 'function' ? process.geteuid() : 0;
}

/** The per-user runtime directory libvirt uses ($XDG_RUNTIME_DIR/libvirt, else ~/.cache/libvirt). */
export function userRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return `${env.XDG_RUNTIME_DIR}/libvirt`;
  return `${env.XDG_CACHE_HOME || `${env.HOME ?? ''}/.cache`}/libvirt`;
}

/**
 * Does this URI want the per-user (session) daemon? As libvirt: a `/session` path or a `test+`
 * scheme, for a non-root user.
 */
export function wantsUserDaemon(uri: ConnectUri, se: SocketEnv = {}): boolean {
  if (effectiveUid(se) === 0) return false;
  return uri.path === '/session' || uri.scheme.toLowerCase().startsWith('test+');
}

export function parseSocketMode(value: string | undefined): SocketMode {
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'legacy' || value === 'direct') return value;
  throw new VirError({
    code: ErrorCode.INVALID_ARG,
    domain: ErrorDomain.REMOTE,
    message: `invalid argument: Unknown remote mode '${value}'`,
  });
}

function socketFor(prefix: string, user: boolean, readOnly: boolean, env: NodeJS.ProcessEnv): string {
  if (user) return `${userRuntimeDir(env)}/${prefix}-sock`;
  return `${SYSTEM_SOCKET_DIR}/${prefix}-${readOnly ? 'sock-ro' : 'sock'}`;
}

/**
 * The unix socket libvirt's client connects to when no `?socket=` is given. Modular daemons
 * (libvirt ≥ 5.6) listen on `virtDRIVERd-sock` (`virtqemud-sock`, …), the monolithic libvirtd on
 * `libvirt-sock`; `remote://` URIs go to virtproxyd, which also uses `libvirt-sock`. In `auto` mode
 * the direct socket wins when it exists, then the legacy one, then the build default.
 * `transport` is the URI's: over ssh the far side's socket is named, and only legacy applies.
 */
export function defaultUnixSocket(
  uri: ConnectUri,
  readOnly: boolean,
  se: SocketEnv = {},
  transport: 'unix' | 'ssh' = 'unix',
): string {
  const env = se.env ?? process.env;
  const exists = se.exists ?? existsSync;
  const user = wantsUserDaemon(uri, se);
  const driver = uri.driver && uri.driver !== 'remote' ? uri.driver : undefined;
  const direct = socketFor(driver ? `virt${driver}d` : 'libvirt', user, readOnly, env);
  const legacy = socketFor('libvirt', user, readOnly, env);
  let mode = parseSocketMode(uriParam(uri, 'mode'));
  if (mode === 'auto') {
    if (transport !== 'unix') mode = 'legacy';
    else if (exists(direct)) mode = 'direct';
    else if (exists(legacy)) mode = 'legacy';
    else mode = se.fallbackMode ?? 'legacy';
  }
  if (mode === 'direct' && transport !== 'unix') {
    throw new VirError({
      code: ErrorCode.OPERATION_UNSUPPORTED,
      domain: ErrorDomain.REMOTE,
      message: `Operation not supported: Cannot use direct socket mode for ${transport} transport`,
    });
  }
  return mode === 'direct' ? direct : legacy;
}
