/**
 * Test certificates made with the system openssl: a CA, a server certificate for 127.0.0.1 and
 * localhost, a client certificate, and a second ("wrong") CA with its own client certificate.
 * Everything lives in the directory given; nothing under /etc/pki is read or written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function opensslUnavailable(): string | undefined {
  return existsSync('/usr/bin/openssl') ? undefined : 'openssl is not installed (apt-get install openssl)';
}

function openssl(args: string[], cwd: string): void {
  execFileSync('/usr/bin/openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function makeCa(dir: string, name: string): Promise<void> {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

async function makeLeaf(dir: string, ca: string, name: string, cn: string, ext: string[]): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), `${ext.join('\n')}\n`);
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

export interface Pki {
  dir: string;
  /** libvirtd.conf lines for the server side. */
  serverConfig: string[];
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
  await mkdir(dir, { recursive: true });
  await makeCa(dir, 'ca');
  await makeCa(dir, 'otherca');
  const leafExt = (usage: string, san?: string) => [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
    ...(san ? [`subjectAltName=${san}`] : []),
  ];
  await makeLeaf(dir, 'ca', 'server', 'localhost', leafExt('serverAuth', 'IP:127.0.0.1,DNS:localhost'));
  await makeLeaf(dir, 'ca', 'client', 'tsvirt-test-client', leafExt('clientAuth'));
  await makeLeaf(dir, 'otherca', 'otherclient', 'tsvirt-other-client', leafExt('clientAuth'));

  const pkiDir = async (name: string, ca: string, client?: string): Promise<string> => {
    const d = join(dir, name);
    await mkdir(d);
    const cp = (from: string, to: string) => execFileSync('/bin/cp', [join(dir, from), join(d, to)]);
    cp(`${ca}.pem`, 'cacert.pem');
    if (client) {
      cp(`${client}.pem`, 'clientcert.pem');
      cp(`${client}.key`, 'clientkey.pem');
    }
    return d;
  };
  return {
    dir,
    serverConfig: [
      `key_file = "${join(dir, 'server.key')}"`,
      `cert_file = "${join(dir, 'server.pem')}"`,
      `ca_file = "${join(dir, 'ca.pem')}"`,
    ],
    clientDir: await pkiDir('client-good', 'ca', 'client'),
    wrongCaDir: await pkiDir('client-wrong-ca', 'otherca', 'client'),
    untrustedClientDir: await pkiDir('client-untrusted', 'ca', 'otherclient'),
    noClientCertDir: await pkiDir('client-nocert', 'ca'),
  };
}
