/**
 * The certificate set the transport tests share, issued by two TestCa authorities: a server
 * certificate for 127.0.0.1 and localhost, a client certificate, and a second ("other") CA with
 * its own client certificate. Everything lives in the directory given; nothing under /etc/pki.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { opensslCaUnavailable, TestCa } from './pki-ca.js';

export const opensslUnavailable = opensslCaUnavailable;

export interface Pki {
  dir: string;
  /** libvirtd.conf lines for the server side. */
  serverConfig: string[];
  serverCert: string;
  serverKey: string;
  /** The other CA's certificate, which signed nothing the server holds. */
  otherCaCert: string;
  /** A pkipath= directory holding cacert.pem, clientcert.pem, clientkey.pem (good CA, good client). */
  clientDir: string;
  /** CA = a CA that did not sign the server's certificate. */
  wrongCaDir: string;
  /** Right CA, but a client certificate the server's CA did not sign. */
  untrustedClientDir: string;
  /** Right CA and no client certificate at all. */
  noClientCertDir: string;
}

export async function makePki(dir: string): Promise<Pki> {
  mkdirSync(dir, { recursive: true });
  const ca = TestCa.create(join(dir, 'ca'), 'ca');
  const other = TestCa.create(join(dir, 'otherca'), 'otherca');
  const server = ca.issue('server', { subject: '/CN=localhost', role: 'server' });
  const client = ca.issue('client', { subject: '/CN=tsvirt-test-client', role: 'client' });
  const otherClient = other.issue('otherclient', { subject: '/CN=tsvirt-other-client', role: 'client' });
  return {
    dir,
    serverConfig: ca.serverConfig(server),
    serverCert: server.cert,
    serverKey: server.key,
    otherCaCert: other.cacert,
    clientDir: ca.clientDir('good', client),
    // The other CA as the trust anchor, with our good client certificate.
    wrongCaDir: other.clientDir('wrong-ca', client),
    untrustedClientDir: ca.clientDir('untrusted', otherClient),
    noClientCertDir: ca.clientDir('nocert'),
  };
}
