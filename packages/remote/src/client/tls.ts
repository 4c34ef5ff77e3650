import { existsSync, readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { ErrorCode, ErrorDomain, strerror, VirError } from '@tsvirt/core';
import { checkPeerCertificate, sanityCheckCredentials } from './tls-certs.js';

/** libvirtd's default TLS port (libvirtd.conf tls_port). */
export const DEFAULT_TLS_PORT = 16514;

/** Where the client's CA certificate, certificate and key are read from. */
export interface TlsCredentialPaths {
  cacert: string;
  cacrl: string;
  cert: string;
  key: string;
}

export interface TlsPathEnv {
  env?: NodeJS.ProcessEnv;
  uid?: number;
  exists?: (path: string) => boolean;
}

function inDir(dir: string): TlsCredentialPaths {
  return {
    cacert: `${dir}/cacert.pem`,
    cacrl: `${dir}/cacrl.pem`,
    cert: `${dir}/clientcert.pem`,
    key: `${dir}/clientkey.pem`,
  };
}

const SYSTEM: TlsCredentialPaths = {
  cacert: '/etc/pki/CA/cacert.pem',
  cacrl: '/etc/pki/CA/cacrl.pem',
  cert: '/etc/pki/libvirt/clientcert.pem',
  key: '/etc/pki/libvirt/private/clientkey.pem',
};

/**
 * libvirt's client credential lookup: `pkipath=` names a directory used as is; otherwise a
 * non-root user's `~/.pki/libvirt` is used file by file where it has them (the CA certificate and
 * the CRL each on their own, certificate and key as a pair), the system locations for the rest.
 */
export function tlsCredentialPaths(pkipath: string | undefined, pe: TlsPathEnv = {}): TlsCredentialPaths {
  if (pkipath) return inDir(pkipath);
  const uid = pe.uid ?? (typeof process.geteuid === 'function' ? process.geteuid() : 0);
  const env = pe.env ?? process.env;
  const exists = pe.exists ?? existsSync;
  if (uid === 0 || !env.HOME) return SYSTEM;
  const user = inDir(`${env.HOME}/.pki/libvirt`);
  const pair = exists(user.cert) && exists(user.key);
  return {
    cacert: exists(user.cacert) ? user.cacert : SYSTEM.cacert,
    cacrl: exists(user.cacrl) ? user.cacrl : SYSTEM.cacrl,
    cert: pair ? user.cert : SYSTEM.cert,
    key: pair ? user.key : SYSTEM.key,
  };
}

function readCredential(what: string, path: string, optional: boolean): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (optional && e.code === 'ENOENT') return undefined;
    throw new VirError({
      code: ErrorCode.SYSTEM_ERROR,
      domain: ErrorDomain.RPC,
      message: `Cannot read ${what} '${path}': ${strerror(e)}`,
      cause: err,
    });
  }
}

export interface TlsOptions {
  host: string;
  port: number;
  paths: TlsCredentialPaths;
  /** `no_verify=1`: go on although the server's certificate fails verification. */
  noVerify: boolean;
  timeoutMs: number;
  /** Where libvirt would log a warning (a certificate problem ignored because of no_verify=1). */
  warn?: (message: string) => void;
}

function rpcSystemError(message: string): VirError {
  return new VirError({ code: ErrorCode.SYSTEM_ERROR, domain: ErrorDomain.RPC, message });
}

const IP_HOST = /^[\d.]+$|:/;

/**
 * libvirt's check of the server's certificate after the handshake: the chain against our CA and
 * CRL (OpenSSL's verdict), validity, then the host name we dialled, basic constraints and purpose.
 * Returns the reason it fails in libvirt's words, or undefined.
 */
function serverCertificateProblem(socket: TLSSocket, host: string, warn: (m: string) => void): string | undefined {
  const cert = socket.getPeerX509Certificate();
  const verifyError = socket.authorized ? undefined : String(socket.authorizationError ?? '');
  const problem = checkPeerCertificate({ peerRole: 'server', cert, verifyError, warn });
  if (problem) return problem;
  // X509Certificate's own checks (getPeerCertificate() returns {} once getPeerX509Certificate() has been called, in Node 20).
  const matches = isIP(host) ? cert!.checkIP(host) !== undefined : cert!.checkHost(host) !== undefined;
  if (!matches) return `Certificate [session] owner does not match the hostname ${host}`;
  return undefined;
}

/**
 * Connect with TLS as libvirt's client does: check our own CA and certificate first (expired or
 * not yet valid ones are refused before dialling, even with no_verify=1, as libvirt does), present
 * our certificate, check the server's certificate against the CA, the CRL and the host name once
 * the handshake is done (a failure is libvirt's "authentication failed: Failed to verify peer's
 * certificate", skipped by `no_verify=1`), then wait for the server's one-byte verdict on *our*
 * certificate (1 = accepted). Only after that byte does the RPC stream begin.
 */
export function openTls(o: TlsOptions): Promise<TLSSocket> {
  const ca = readCredential('CA certificate', o.paths.cacert, false)!;
  const crl = readCredential('CA revocation list', o.paths.cacrl, true);
  const cert = readCredential('client certificate', o.paths.cert, true);
  const key = cert ? readCredential('client key', o.paths.key, false) : undefined;
  // libvirt's VIR_WARN lines: non-critical usage problems, a check ignored with no_verify=1.
  const warn = o.warn ?? ((m: string) => process.emitWarning(m, 'TsvirtTlsWarning'));
  try {
    sanityCheckCredentials({
      role: 'client',
      caFile: o.paths.cacert,
      caPem: ca,
      certFile: o.paths.cert,
      certPem: cert,
      warn,
    });
  } catch (err) {
    return Promise.reject(err);
  }
  const label = `${o.host}:${o.port}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: VirError | undefined, sock: TLSSocket): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.removeListener('data', onVerdict);
      if (err) {
        sock.destroy();
        reject(err);
      } else {
        resolve(sock);
      }
    };
    const socket = tlsConnect({
      host: o.host,
      port: o.port,
      ca,
      crl,
      cert,
      key,
      // SNI takes names only.
      servername: IP_HOST.test(o.host) ? undefined : o.host,
      // The verdict is ours, after the handshake (below), as libvirt's is; Node's own host name
      // check would otherwise show up as a chain failure in authorizationError.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      minVersion: 'TLSv1.2',
    });
    const timer = setTimeout(
      () =>
        finish(
          new VirError({
            code: ErrorCode.OPERATION_TIMEOUT,
            domain: ErrorDomain.RPC,
            message: `Timed out connecting to ${label}`,
          }),
          socket,
        ),
      o.timeoutMs,
    );
    const onVerdict = (chunk: Buffer): void => {
      if (chunk.length === 0) return;
      if (chunk[0] !== 1) {
        finish(
          new VirError({
            code: ErrorCode.RPC,
            domain: ErrorDomain.RPC,
            message: 'server verification (of our certificate or IP address) failed',
          }),
          socket,
        );
        return;
      }
      // Bytes after the verdict already belong to the RPC stream: hand them back.
      if (chunk.length > 1) socket.unshift(chunk.subarray(1));
      finish(undefined, socket);
    };
    socket.once('secureConnect', () => {
      (socket as unknown as Socket).setNoDelay?.(true);
      const problem = serverCertificateProblem(socket, o.host, warn);
      if (problem) {
        if (o.noVerify) {
          // Ignored at the user's request; libvirt still logs it as a warning.
          warn(`Certificate check failed ${problem}`);
        } else {
          // libvirt reports only the verdict; the reason travels as the cause.
          finish(
            new VirError({
              code: ErrorCode.AUTH_FAILED,
              domain: ErrorDomain.RPC,
              detail: "Failed to verify peer's certificate",
              cause: new Error(problem),
            }),
            socket,
          );
          return;
        }
      }
      socket.on('data', onVerdict);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code && /^(ECONNREFUSED|ENOENT|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EADDRNOTAVAIL)$/.test(err.code)) {
        finish(
          new VirError({
            code: ErrorCode.SYSTEM_ERROR,
            domain: ErrorDomain.RPC,
            message: `unable to connect to server at '${label}': ${strerror(err)}`,
            cause: err,
          }),
          socket,
        );
        return;
      }
      // A handshake that cannot complete (not a TLS server, no common protocol or cipher).
      finish(
        new VirError({
          code: ErrorCode.AUTH_FAILED,
          domain: ErrorDomain.RPC,
          detail: `TLS handshake failed ${err.message}`,
          cause: err,
        }),
        socket,
      );
    });
    // The server hangs up without a verdict when it refuses our certificate: libvirt's client
    // reads that as an I/O error on the confirmation byte.
    socket.once('close', () => finish(rpcSystemError('Unable to read TLS confirmation: Input/output error'), socket));
  });
}
