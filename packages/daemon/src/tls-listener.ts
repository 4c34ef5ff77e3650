import { readFileSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsFiles {
  keyFile: string;
  certFile: string;
  caFile: string;
  /** Let clients in whose certificate is missing or does not verify against the CA. */
  noVerifyCertificate: boolean;
}

/** The byte libvirt's server sends, encrypted, once the client's certificate has been accepted. */
const ACCESS_GRANTED = Uint8Array.of(1);

/**
 * Listen for libvirt's TLS transport: a TLS handshake asking for the client's certificate, the
 * certificate checked against the CA, then one byte 0x01 before the RPC stream starts (a client
 * that fails the check is disconnected without it, which libvirt's clients report as such).
 */
export async function listenTls(
  host: string,
  port: number,
  files: TlsFiles,
  onClient: (s: Socket) => void,
  log: (message: string) => void,
): Promise<Server> {
  const server = createServer({
    key: readFileSync(files.keyFile),
    cert: readFileSync(files.certFile),
    ca: readFileSync(files.caFile),
    requestCert: true,
    // The check is ours (below), so that a refused client is logged and simply dropped.
    rejectUnauthorized: false,
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!files.noVerifyCertificate && !socket.authorized) {
      log(`refusing TLS client: certificate check failed: ${socket.authorizationError ?? 'no certificate'}`);
      socket.destroy();
      return;
    }
    socket.write(ACCESS_GRANTED);
    onClient(socket);
  });
  server.on('tlsClientError', (err) => log(`TLS handshake failed: ${err.message}`));
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
