/**
 * A small certificate authority run with the system's `openssl ca` in a temp directory: leaf
 * certificates with any subject and validity window (expired, not yet valid), revocation and a
 * CRL (cacrl.pem), and libvirt-style pkipath directories. Nothing outside the directory is touched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';

export function opensslCaUnavailable(): string | undefined {
  return existsSync(OPENSSL) ? undefined : 'openssl is not installed (apt-get install openssl)';
}

const CA_CONFIG = `[ ca ]
default_ca = tsvirt_ca
[ tsvirt_ca ]
dir = .
database = ./index.txt
new_certs_dir = ./issued
serial = ./serial
crlnumber = ./crlnumber
certificate = ./cacert.pem
private_key = ./cakey.pem
default_md = sha256
default_days = 2
default_crl_days = 2
policy = anything
unique_subject = no
preserve = yes
[ anything ]
domainComponent = optional
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
emailAddress = optional
`;

const SERVER_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=IP:127.0.0.1,DNS:localhost',
];
const CLIENT_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=clientAuth',
];

export interface Issued {
  name: string;
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** openssl -subj form, e.g. "/O=tsvirt/CN=client". */
  subject: string;
  role: 'server' | 'client';
  /** openssl ca -startdate/-enddate (YYYYMMDDHHMMSSZ) for a certificate outside its validity. */
  startDate?: string;
  endDate?: string;
  /** Extension lines (openssl -extfile) instead of the role's usual ones. */
  extensions?: string[];
}

export class TestCa {
  constructor(readonly dir: string) {}

  static create(dir: string, cn = 'tsvirt test CA'): TestCa {
    mkdirSync(join(dir, 'issued'), { recursive: true });
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    writeFileSync(join(dir, 'crlnumber'), '1000\n');
    writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
    const ca = new TestCa(dir);
    ca.openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'cakey.pem',
      '-out',
      'cacert.pem',
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    ca.writeCrl();
    return ca;
  }

  get cacert(): string {
    return join(this.dir, 'cacert.pem');
  }
  get cacrl(): string {
    return join(this.dir, 'cacrl.pem');
  }

  private openssl(args: string[]): void {
    execFileSync(OPENSSL, args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  issue(name: string, o: IssueOptions): Issued {
    const ext = o.extensions ?? (o.role === 'server' ? SERVER_EXT : CLIENT_EXT);
    writeFileSync(join(this.dir, `${name}.ext`), `${ext.join('\n')}\n`);
    this.openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-multivalue-rdn',
      '-utf8',
      '-subj',
      o.subject,
    ]);
    this.openssl([
      'ca',
      '-config',
      'ca.cnf',
      '-batch',
      '-notext',
      '-utf8',
      '-multivalue-rdn',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
      ...(o.startDate ? ['-startdate', o.startDate] : []),
      ...(o.endDate ? ['-enddate', o.endDate] : []),
    ]);
    return { name, cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
  }

  /** Revoke a certificate issued here and rewrite cacrl.pem. */
  revoke(issued: Issued): void {
    this.openssl(['ca', '-config', 'ca.cnf', '-revoke', issued.cert]);
    this.writeCrl();
  }

  private writeCrl(): void {
    this.openssl(['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'cacrl.pem']);
  }

  /** A client's pkipath= directory: cacert.pem, clientcert.pem and clientkey.pem (and cacrl.pem). */
  clientDir(name: string, client?: Issued, withCrl = false): string {
    const d = join(this.dir, `pki-${name}`);
    mkdirSync(d, { recursive: true });
    copyFileSync(this.cacert, join(d, 'cacert.pem'));
    if (withCrl) copyFileSync(this.cacrl, join(d, 'cacrl.pem'));
    if (client) {
      copyFileSync(client.cert, join(d, 'clientcert.pem'));
      copyFileSync(client.key, join(d, 'clientkey.pem'));
    }
    return d;
  }

  /** libvirtd.conf lines for a server certificate issued here. */
  serverConfig(server: Issued, crl = false): string[] {
    return [
      `ca_file = "${this.cacert}"`,
      `cert_file = "${server.cert}"`,
      `key_file = "${server.key}"`,
      ...(crl ? [`crl_file = "${this.cacrl}"`] : []),
    ];
  }
}
