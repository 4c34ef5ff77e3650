import { existsSync, readFileSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { createSecureContext, createServer, type TLSSocket } from 'node:tls';
import { checkPeerCertificate, sanityCheckCredentials } from '@tsvirt/remote';
import { ConfigError } from './config.js';
import { mapTlsPriority } from './tls-priority.js';

export interface TlsFiles {
  keyFile: string;
  certFile: string;
  caFile: string;
  /** The CA's revocation list; skipped when the file does not exist, as libvirtd does. */
  crlFile?: string;
  /** Let clients in whose certificate is missing or fails a check (tls_no_verify_certificate). */
  noVerifyCertificate: boolean;
  /** Skip the start-up check of our own CA and certificate (tls_no_sanity_certificate). */
  noSanityCertificate?: boolean;
  /** Glob patterns on the client certificate's DN (tls_allowed_dn_list). */
  allowedDnList?: readonly string[];
  /** tls_priority (GnuTLS syntax); undefined: libvirt's default NORMAL. */
  priority?: string;
}

export interface TlsLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
}

/** The byte libvirt's server sends, encrypted, once the client's certificate has been accepted. */
const ACCESS_GRANTED = Uint8Array.of(1);

function readPki(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(
      `Cannot read ${what} '${file}': ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`,
    );
  }
}

/** What listenTls needs, read and checked by prepareTls. */
export type PreparedTls = ReturnType<typeof prepareTls>;

/**
 * Everything the TLS server needs, read and checked once at start-up, before any socket is
 * created (a bad file or priority string stops the daemon, as in libvirtd).
 */
export function prepareTls(files: TlsFiles, log: TlsLog) {
  const ca = readPki('CA certificate', files.caFile);
  const cert = readPki('server certificate', files.certFile);
  const key = readPki('server key', files.keyFile);
  const crl = files.crlFile && existsSync(files.crlFile) ? readPki('CA revocation list', files.crlFile) : undefined;
  if (!files.noSanityCertificate) {
    sanityCheckCredentials({
      role: 'server',
      caFile: files.caFile,
      caPem: ca,
      certFile: files.certFile,
      certPem: cert,
      warn: (m) => log.warn(m),
    });
  }
  const protocol = mapTlsPriority(files.priority ?? 'NORMAL', files.priority !== undefined);
  for (const w of protocol.warnings) log.warn(w);
  const options = {
    key,
    cert,
    ca,
    crl,
    minVersion: protocol.minVersion,
    maxVersion: protocol.maxVersion,
    honorCipherOrder: protocol.honorCipherOrder,
  };
  try {
    createSecureContext(options);
  } catch (err) {
    const m = (err as Error).message;
    if (crl && /crl/i.test(m)) throw new ConfigError(`Unable to load certificate revocation list ${files.crlFile}`);
    throw new ConfigError(`Unable to load TLS credentials from ${files.certFile} and ${files.keyFile}: ${m}`);
  }
  if (files.allowedDnList?.length === 0) {
    log.warn('tls_allowed_dn_list is empty: every TLS client will be refused');
  }
  return { files, options };
}

/**
 * Listen for libvirt's TLS transport: a TLS handshake asking for the client's certificate, then
 * libvirt's checks of it (chain and CRL, validity, tls_allowed_dn_list, basic constraints and
 * purpose), then one byte 0x01 before the RPC stream starts. A refused client is logged as
 * libvirtd logs it and disconnected without the byte (its client reports "Unable to read TLS
 * confirmation"); tls_no_verify_certificate logs the problem and lets it in.
 */
export async function listenTls(
  host: string,
  port: number,
  prepared: PreparedTls,
  onClient: (s: Socket) => void,
  log: TlsLog,
): Promise<Server> {
  const { files } = prepared;
  const server = createServer({
    ...prepared.options,
    requestCert: true,
    // The check is ours (below), so that a refused client is logged and simply dropped.
    rejectUnauthorized: false,
    // As on the TCP listener: TCP_NODELAY, as libvirtd sets it.
    noDelay: true,
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const problem = checkPeerCertificate({
      peerRole: 'client',
      cert: socket.getPeerX509Certificate(),
      verifyError: socket.authorized ? undefined : String(socket.authorizationError ?? ''),
      allowedDnList: files.allowedDnList,
      warn: (m) => log.warn(m),
    });
    if (problem) {
      log.error(problem);
      log.warn(`Certificate check failed ${problem}`);
      if (!files.noVerifyCertificate) {
        log.error("authentication failed: Failed to verify peer's certificate");
        socket.destroy();
        return;
      }
      log.info('Ignoring bad certificate at user request');
    }
    socket.write(ACCESS_GRANTED);
    onClient(socket);
  });
  server.on('tlsClientError', (err) => log.warn(`TLS handshake failed ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Failed to bind socket to ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'Address already in use' : err.message}`,
        ),
      ),
    );
    server.listen({ host, port }, () => resolve());
  });
  return server;
}
