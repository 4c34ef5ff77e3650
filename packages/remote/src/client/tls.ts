import { existsSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { checkServerIdentity, type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { ErrorCode, ErrorDomain, strerror, VirError } from '@tsvirt/core';

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
 * non-root user's `~/.pki/libvirt` is used when it holds the CA, certificate and key, and the
 * system locations (/etc/pki/...) otherwise.
 */
export function tlsCredentialPaths(pkipath: string | undefined, pe: TlsPathEnv = {}): TlsCredentialPaths {
  if (pkipath) return inDir(pkipath);
  const uid = pe.uid ?? (typeof process.geteuid === 'function' ? process.geteuid() : 0);
  const env = pe.env ?? process.env;
  const exists = pe.exists ?? existsSync;
  if (uid !== 0 && env.HOME) {
    const user = inDir(`${env.HOME}/.pki/libvirt`);
    if (exists(user.cacert) && exists(user.cert) && exists(user.key)) return user;
  }
  return SYSTEM;
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
}

function tlsError(message: string, cause?: unknown): VirError {
  return new VirError({ code: ErrorCode.GNUTLS_ERROR, domain: ErrorDomain.RPC, message, cause });
}

/**
 * Connect with TLS as libvirt's client does: verify the server's certificate against our CA and its
 * name against the host we dialled (both skipped by `no_verify=1`), present our client certificate,
 * then wait for the server's one-byte verdict on *our* certificate (1 = accepted). Only after that
 * byte does the RPC stream begin.
 */
export function openTls(o: TlsOptions): Promise<TLSSocket> {
  const ca = readCredential('CA certificate', o.paths.cacert, false);
  const crl = readCredential('CA revocation list', o.paths.cacrl, true);
  const cert = readCredential('client certificate', o.paths.cert, true);
  const key = cert ? readCredential('client key', o.paths.key, false) : undefined;
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
      // SNI takes names only; an IP host is checked against the certificate's IP addresses below.
      servername: /^[\d.]+$|:/.test(o.host) ? undefined : o.host,
      rejectUnauthorized: !o.noVerify,
      checkServerIdentity: (host: string, peer: PeerCertificate) =>
        o.noVerify ? undefined : checkServerIdentity(host, peer),
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
        finish(tlsError('server verification (of our certificate or IP address) failed'), socket);
        return;
      }
      // Bytes after the verdict already belong to the RPC stream: hand them back.
      if (chunk.length > 1) socket.unshift(chunk.subarray(1));
      finish(undefined, socket);
    };
    socket.once('secureConnect', () => {
      (socket as unknown as Socket).setNoDelay?.(true);
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
      const why = err.code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `${err.message}` : err.message;
      finish(tlsError(`Unable to verify TLS peer at '${label}': ${why}`, err), socket);
    });
    // The server closes the connection when it rejects our certificate without a verdict byte.
    socket.once('close', () =>
      finish(tlsError('server verification (of our certificate or IP address) failed: connection closed'), socket),
    );
  });
}
