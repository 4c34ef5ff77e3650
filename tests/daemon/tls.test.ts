/**
 * tsvirtd's TLS listener with Debian's virsh: certificates made by openssl in a temp dir (a CA,
 * a server certificate for 127.0.0.1, a client certificate), virsh connecting with
 * test+tls://127.0.0.1:PORT/default?pkipath=DIR. A client without an acceptable certificate is
 * turned away; one with a good certificate is served after libvirt's confirmation byte.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVirsh, virshAvailable } from '../cli/run-both.js';
import { freePort } from '../remote/libvirtd.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const canRun = virshAvailable() && hasOpenssl;

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA and a certificate signed by it (SAN IP 127.0.0.1 for the server, as virsh checks the host). */
async function makePki(dir: string): Promise<void> {
  openssl(
    [
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
      '/CN=tsvirt test CA',
    ],
    dir,
  );
  for (const who of ['server', 'client']) {
    openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${who}key.pem`,
        '-out',
        `${who}.csr`,
        '-subj',
        `/O=tsvirt/CN=${who === 'server' ? '127.0.0.1' : 'client'}`,
      ],
      dir,
    );
    await writeFile(
      join(dir, `${who}.ext`),
      who === 'server'
        ? 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n'
        : 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n',
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${who}.csr`,
        '-CA',
        'cacert.pem',
        '-CAkey',
        'cakey.pem',
        '-CAcreateserial',
        '-out',
        `${who}cert.pem`,
        '-days',
        '2',
        '-extfile',
        `${who}.ext`,
      ],
      dir,
    );
  }
}

describe.skipIf(!canRun)('tsvirtd over TLS with virsh', () => {
  let pki: string;
  let t: Tsvirtd;
  let tlsPort: number;
  beforeAll(async () => {
    pki = await mkdtemp(join(tmpdir(), 'tsvirt-d2-pki-'));
    await makePki(pki);
    tlsPort = await freePort();
    t = await startTsvirtd([
      'listen_tls = 1',
      `tls_port = "${tlsPort}"`,
      `key_file = "${pki}/serverkey.pem"`,
      `cert_file = "${pki}/servercert.pem"`,
      `ca_file = "${pki}/cacert.pem"`,
    ]);
  }, 60_000);
  afterAll(async () => {
    if (t) {
      expect(await t.stop()).toBe(0);
      await removeTsvirtdDir(t);
    }
    if (pki) await rm(pki, { recursive: true, force: true });
  });

  it('virsh with a client certificate lists, shows and dumps a domain over TLS', async () => {
    const uri = `test+tls://127.0.0.1:${tlsPort}/default?pkipath=${pki}`;
    const list = await runVirsh(['-c', uri, 'list', '--all', '--name']);
    expect(list.stderr).toBe('');
    expect(list.stdout.trim()).toBe('test');
    const info = await runVirsh(['-c', uri, 'dominfo', 'test']);
    expect(info.stdout).toMatch(/State:\s+running/);
    const local = await runVirsh(['-c', 'test:///default', 'dumpxml', 'test']);
    expect((await runVirsh(['-c', uri, 'dumpxml', 'test'])).stdout).toBe(local.stdout);
  }, 30_000);

  it('a client whose certificate the CA did not sign, or with none, is turned away; others still get in', async () => {
    const other = join(pki, 'other');
    await mkdir(other);
    await makePki(other);
    // virsh refuses to present a certificate its own CA file does not vouch for, so the server's
    // check is exercised with Node's TLS client: what comes back before the peer closes.
    const attempt = (withCert: boolean) =>
      new Promise<{ bytes: number[]; closed: boolean }>((resolve) => {
        const bytes: number[] = [];
        const s = tlsConnect({
          host: '127.0.0.1',
          port: tlsPort,
          ca: readFileSync(join(pki, 'cacert.pem')),
          ...(withCert
            ? { key: readFileSync(join(other, 'clientkey.pem')), cert: readFileSync(join(other, 'clientcert.pem')) }
            : {}),
          servername: undefined,
          checkServerIdentity: () => undefined,
        });
        s.on('data', (d: Buffer) => bytes.push(...d));
        s.on('error', () => {});
        const timer = setTimeout(() => {
          s.destroy();
          resolve({ bytes, closed: false });
        }, 3000);
        s.on('close', () => {
          clearTimeout(timer);
          resolve({ bytes, closed: true });
        });
      });
    expect(await attempt(true)).toEqual({ bytes: [], closed: true });
    expect(await attempt(false)).toEqual({ bytes: [], closed: true });
    expect(t.child.exitCode).toBeNull();
    // libvirtd's lines for a refused client (tests/daemon/tls-settings.test.ts compares them with libvirtd's).
    expect(await t.log()).toContain('Certificate check failed Certificate failed validation:');
    expect(await t.log()).toContain('Certificate check failed Unable to verify TLS peer: No certificate was found.');
    const ok = await runVirsh(['-c', `test+tls://127.0.0.1:${tlsPort}/default?pkipath=${pki}`, 'list', '--name']);
    expect(ok.stdout.trim()).toBe('test');
  }, 30_000);
});
