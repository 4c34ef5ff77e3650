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
  /** The CA's revocation list (PEM), used when the file exists. */
  crlFile?: string;
  /** key_file, cert_file or ca_file was set: then all three must be (libvirtd's rule). */
  tlsExplicitFiles: boolean;
  /** Accept clients whose certificate is missing or does not verify (libvirtd's tls_no_verify_certificate). */
  tlsNoVerifyCertificate: boolean;
  /** Skip the start-up check of our own CA and certificate (tls_no_sanity_certificate). */
  tlsNoSanityCertificate: boolean;
  /** Glob patterns a client certificate's DN must match (tls_allowed_dn_list); unset: any DN. */
  tlsAllowedDnList?: string[];
  /** A GnuTLS priority string (tls_priority); unset: libvirt's default, NORMAL. */
  tlsPriority?: string;
  /** tsvirtd's own key: allow auth "none" on TCP addresses other than loopback (off by default). */
  tcpAllowInsecure: boolean;
  maxClients: number;
  maxClientRequests: number;
  keepaliveInterval: number;
  keepaliveCount: number;
  /** tsvirtd's own key: µs to keep polling for the next call after a reply (0: sleep at once). */
  busyPollUs: number;
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

function strList(conf: Map<string, ConfValue>, key: string): string[] | undefined {
  const v = conf.get(key);
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new ConfigError(`${key}: expected a list of strings`);
  return v as string[];
}

const SYSTEM_PKI = {
  caFile: '/etc/pki/CA/cacert.pem',
  crlFile: '/etc/pki/CA/cacrl.pem',
  certFile: '/etc/pki/libvirt/servercert.pem',
  keyFile: '/etc/pki/libvirt/private/serverkey.pem',
};

/**
 * libvirtd's PKI files. With key_file, cert_file or ca_file set, those three (checked to be all
 * there when TLS is enabled) and crl_file if set. Otherwise libvirt's search: /etc/pki for root; for
 * other users ~/.pki/libvirt file by file where it has them (the CA and the CRL each on their own,
 * certificate and key as a pair), /etc/pki for the rest. The CRL is used only when its file exists.
 */
export function pkiFiles(
  conf: Map<string, ConfValue>,
  env: NodeJS.ProcessEnv,
  root = typeof process.getuid === 'function' && process.getuid() === 0,
  exists: (path: string) => boolean = existsSync,
): Pick<DaemonSettings, 'keyFile' | 'certFile' | 'caFile' | 'crlFile' | 'tlsExplicitFiles'> {
  const [caFile, certFile, keyFile] = [str(conf, 'ca_file'), str(conf, 'cert_file'), str(conf, 'key_file')];
  if (caFile !== undefined || certFile !== undefined || keyFile !== undefined) {
    return {
      caFile: caFile ?? '',
      certFile: certFile ?? '',
      keyFile: keyFile ?? '',
      crlFile: str(conf, 'crl_file'),
      tlsExplicitFiles: true,
    };
  }
  if (root || !env.HOME) return { ...SYSTEM_PKI, tlsExplicitFiles: false };
  const dir = `${env.HOME}/.pki/libvirt`;
  const pair = exists(`${dir}/servercert.pem`) && exists(`${dir}/serverkey.pem`);
  return {
    caFile: exists(`${dir}/cacert.pem`) ? `${dir}/cacert.pem` : SYSTEM_PKI.caFile,
    crlFile: exists(`${dir}/cacrl.pem`) ? `${dir}/cacrl.pem` : SYSTEM_PKI.crlFile,
    certFile: pair ? `${dir}/servercert.pem` : SYSTEM_PKI.certFile,
    keyFile: pair ? `${dir}/serverkey.pem` : SYSTEM_PKI.keyFile,
    tlsExplicitFiles: false,
  };
}

/** As Linux's haltpoll governor polls a guest's idle vCPU by default (guest_halt_poll_ns). */
const DEFAULT_BUSY_POLL_US = 200;
const MAX_BUSY_POLL_US = 10_000;

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
    tlsNoSanityCertificate: bool(conf, 'tls_no_sanity_certificate') ?? false,
    tlsAllowedDnList: strList(conf, 'tls_allowed_dn_list'),
    tlsPriority: str(conf, 'tls_priority'),
    tcpAllowInsecure: bool(conf, 'tcp_allow_insecure_none') ?? false,
    maxClients: int(conf, 'max_clients') ?? 5000,
    maxClientRequests: int(conf, 'max_client_requests') ?? 5,
    keepaliveInterval: int(conf, 'keepalive_interval') ?? 5,
    keepaliveCount: int(conf, 'keepalive_count') ?? 5,
    busyPollUs: int(conf, 'busy_poll_us') ?? DEFAULT_BUSY_POLL_US,
    logLevel: int(conf, 'log_level') ?? 3,
    logOutputs: str(conf, 'log_outputs'),
  };
  if (s.busyPollUs < 0 || s.busyPollUs > MAX_BUSY_POLL_US)
    throw new ConfigError(`busy_poll_us: ${s.busyPollUs} is not between 0 and ${MAX_BUSY_POLL_US}`);
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
    if (s.tlsExplicitFiles) {
      if (!s.caFile) throw new ConfigError('No CA certificate path set to match server key/cert');
      if (!s.certFile) throw new ConfigError('No server certificate path set to match server key');
      if (!s.keyFile) throw new ConfigError('No server key path set to match server cert');
    }
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
