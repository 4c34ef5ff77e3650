import { ConfigError, type ConfValue } from './config.js';

export type AuthMode = 'none' | 'sasl' | 'polkit';

/** What tsvirtd serves and how, from libvirtd.conf keys (libvirtd's names and meanings). */
export interface DaemonSettings {
  unixSockDir: string;
  unixSockGroup?: string;
  unixSockRwPerms: number;
  unixSockRoPerms: number;
  authUnixRw: AuthMode;
  authUnixRo: AuthMode;
  listenTcp: boolean;
  listenTls: boolean;
  listenAddr: string;
  tcpPort: number;
  authTcp: AuthMode;
  /** tsvirtd's own key: allow auth "none" on TCP addresses other than loopback (off by default). */
  tcpAllowInsecure: boolean;
  maxClients: number;
  maxClientRequests: number;
  keepaliveInterval: number;
  keepaliveCount: number;
  logLevel: number;
  logOutputs?: string;
}

function str(conf: Map<string, ConfValue>, key: string): string | undefined {
  const v = conf.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ConfigError(`${key}: expected a string`);
  return v;
}
function int(conf: Map<string, ConfValue>, key: string): number | undefined {
  const v = conf.get(key);
  if (v === undefined) return undefined;
  // libvirtd accepts tcp_port as a string ("16509") and the rest as integers.
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number') throw new ConfigError(`${key}: expected an integer`);
  return n;
}
function bool(conf: Map<string, ConfValue>, key: string): boolean | undefined {
  const v = int(conf, key);
  return v === undefined ? undefined : v !== 0;
}
function perms(conf: Map<string, ConfValue>, key: string, dflt: number): number {
  const v = str(conf, key);
  if (v === undefined) return dflt;
  if (!/^[0-7]{3,4}$/.test(v)) throw new ConfigError(`Failed to parse mode '${v}'`);
  return Number.parseInt(v, 8);
}
function auth(conf: Map<string, ConfValue>, key: string, dflt: AuthMode): AuthMode {
  const v = str(conf, key) ?? dflt;
  if (v !== 'none' && v !== 'sasl' && v !== 'polkit') throw new ConfigError(`unknown authentication type ${v}`);
  return v;
}

/** libvirtd's socket directory: /run/libvirt for root, $XDG_RUNTIME_DIR/libvirt otherwise. */
export function defaultSockDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) return '/run/libvirt';
  return `${env.XDG_RUNTIME_DIR || `${env.HOME ?? '/tmp'}/.cache`}/libvirt`;
}

export function settingsFromConf(conf: Map<string, ConfValue>, env: NodeJS.ProcessEnv = process.env): DaemonSettings {
  const s: DaemonSettings = {
    unixSockDir: str(conf, 'unix_sock_dir') ?? defaultSockDir(env),
    unixSockGroup: str(conf, 'unix_sock_group'),
    unixSockRwPerms: perms(conf, 'unix_sock_rw_perms', 0o600),
    unixSockRoPerms: perms(conf, 'unix_sock_ro_perms', 0o666),
    authUnixRw: auth(conf, 'auth_unix_rw', 'none'),
    authUnixRo: auth(conf, 'auth_unix_ro', 'none'),
    listenTcp: bool(conf, 'listen_tcp') ?? false,
    listenTls: bool(conf, 'listen_tls') ?? true,
    listenAddr: str(conf, 'listen_addr') ?? '127.0.0.1',
    tcpPort: int(conf, 'tcp_port') ?? 16509,
    authTcp: auth(conf, 'auth_tcp', 'none'),
    tcpAllowInsecure: bool(conf, 'tcp_allow_insecure_none') ?? false,
    maxClients: int(conf, 'max_clients') ?? 5000,
    maxClientRequests: int(conf, 'max_client_requests') ?? 5,
    keepaliveInterval: int(conf, 'keepalive_interval') ?? 5,
    keepaliveCount: int(conf, 'keepalive_count') ?? 5,
    logLevel: int(conf, 'log_level') ?? 3,
    logOutputs: str(conf, 'log_outputs'),
  };
  if (s.tcpPort < 1 || s.tcpPort > 65535) throw new ConfigError(`tcp_port: ${s.tcpPort} is not a port number`);
  return s;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Refuse what tsvirtd cannot do safely, before anything is created. */
export function checkSettings(s: DaemonSettings, listen: boolean): void {
  for (const [key, mode] of [
    ['auth_unix_rw', s.authUnixRw],
    ['auth_unix_ro', s.authUnixRo],
    ...(listen && s.listenTcp ? [['auth_tcp', s.authTcp]] : []),
  ] as const) {
    if (mode !== 'none') {
      throw new ConfigError(
        `${key} = "${mode}": tsvirtd supports only auth "none" so far (SASL and polkit are not implemented)`,
      );
    }
  }
  if (!listen) return;
  if (s.listenTls) {
    throw new ConfigError('listen_tls: TLS is not implemented by tsvirtd yet; set listen_tls = 0 to use --listen');
  }
  if (s.listenTcp && s.authTcp === 'none' && !LOOPBACK.test(s.listenAddr) && !s.tcpAllowInsecure) {
    throw new ConfigError(
      `refusing auth_tcp = "none" on non-loopback address '${s.listenAddr}': anyone who can reach it gets full control; set tcp_allow_insecure_none = 1 to allow it anyway`,
    );
  }
}
