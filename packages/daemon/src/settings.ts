import { existsSync } from 'node:fs';
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
  tlsPort: number;
  authTls: AuthMode;
  /** The server's private key, certificate and the CA that signs client certificates (PEM). */
  keyFile: string;
  certFile: string;
  caFile: string;
  /** Accept clients whose certificate is missing or does not verify (libvirtd's tls_no_verify_certificate). */
  tlsNoVerifyCertificate: boolean;
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

/** libvirtd's PKI file locations: /etc/pki for root, ~/.pki/libvirt otherwise; the config overrides each. */
function pkiFiles(conf: Map<string, ConfValue>, env: NodeJS.ProcessEnv) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const user = `${env.HOME ?? '/tmp'}/.pki/libvirt`;
  return {
    keyFile: str(conf, 'key_file') ?? (root ? '/etc/pki/libvirt/private/serverkey.pem' : `${user}/serverkey.pem`),
    certFile: str(conf, 'cert_file') ?? (root ? '/etc/pki/libvirt/servercert.pem' : `${user}/servercert.pem`),
    caFile: str(conf, 'ca_file') ?? (root ? '/etc/pki/CA/cacert.pem' : `${user}/cacert.pem`),
  };
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
    tlsPort: int(conf, 'tls_port') ?? 16514,
    authTls: auth(conf, 'auth_tls', 'none'),
    ...pkiFiles(conf, env),
    tlsNoVerifyCertificate: bool(conf, 'tls_no_verify_certificate') ?? false,
    tcpAllowInsecure: bool(conf, 'tcp_allow_insecure_none') ?? false,
    maxClients: int(conf, 'max_clients') ?? 5000,
    maxClientRequests: int(conf, 'max_client_requests') ?? 5,
    keepaliveInterval: int(conf, 'keepalive_interval') ?? 5,
    keepaliveCount: int(conf, 'keepalive_count') ?? 5,
    logLevel: int(conf, 'log_level') ?? 3,
    logOutputs: str(conf, 'log_outputs'),
  };
  if (s.tcpPort < 1 || s.tcpPort > 65535) throw new ConfigError(`tcp_port: ${s.tcpPort} is not a port number`);
  if (s.tlsPort < 1 || s.tlsPort > 65535) throw new ConfigError(`tls_port: ${s.tlsPort} is not a port number`);
  return s;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Refuse what tsvirtd cannot do safely, before anything is created. */
export function checkSettings(s: DaemonSettings, listen: boolean): void {
  for (const [key, mode] of [
    ['auth_unix_rw', s.authUnixRw],
    ['auth_unix_ro', s.authUnixRo],
    ...(listen && s.listenTcp ? [['auth_tcp', s.authTcp]] : []),
    ...(listen && s.listenTls ? [['auth_tls', s.authTls]] : []),
  ] as const) {
    if (mode !== 'none') {
      throw new ConfigError(
        `${key} = "${mode}": tsvirtd supports only auth "none" so far (SASL and polkit are not implemented)`,
      );
    }
  }
  if (!listen) return;
  if (s.listenTls) {
    // As libvirtd, refuse to start without the files rather than fail every TLS client later.
    for (const [what, file] of [
      ['CA certificate', s.caFile],
      ['server certificate', s.certFile],
      ['server key', s.keyFile],
    ] as const) {
      if (!existsSync(file)) throw new ConfigError(`Cannot read ${what} '${file}': No such file or directory`);
    }
  }
  if (s.listenTcp && s.authTcp === 'none' && !LOOPBACK.test(s.listenAddr) && !s.tcpAllowInsecure) {
    throw new ConfigError(
      `refusing auth_tcp = "none" on non-loopback address '${s.listenAddr}': anyone who can reach it gets full control; set tcp_allow_insecure_none = 1 to allow it anyway`,
    );
  }
}
