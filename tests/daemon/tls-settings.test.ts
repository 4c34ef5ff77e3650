/**
 * libvirt's TLS settings, each checked against the real thing: certificates and CRLs made by
 * `openssl ca` in a temp dir, tsvirtd against tsvirt's client and Debian's virsh, and the real
 * libvirtd 9.0 where it is the reference (what it logs when it refuses a client, what a refused
 * client is told). Server side: crl_file, tls_allowed_dn_list (libvirt's DN format, checked against
 * virt-pki-query-dn), tls_no_verify_certificate, tls_no_sanity_certificate, tls_priority. Client
 * side: no_verify=1, pkipath=, the client's cacrl.pem, expired / not yet valid / revoked server
 * certificates, an expired client certificate.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { connect, ErrorCode, ErrorDomain, type VirError } from '@tsvirt/core';
import { certificateDn, driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVirsh, virshAvailable } from '../cli/run-both.js';
import { freePort, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { type Issued, opensslCaUnavailable, TestCa } from '../remote/pki-ca.js';
import { removeTsvirtdDir, spawnTsvirtd, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const missing = opensslCaUnavailable() ?? (virshAvailable() ? undefined : 'virsh is not installed');
const libvirtdMissing = missing ?? libvirtdUnavailable();
if (missing) console.warn(`[tests/daemon] skipping the TLS settings tests: ${missing}`);

const open = (uri: string) => connect(uri, { drivers: [driver] });

async function failure(p: Promise<{ close(): Promise<void> }>): Promise<VirError> {
  try {
    const c = await p;
    await c.close();
  } catch (err) {
    return err as VirError;
  }
  throw new Error('expected the connection to fail');
}

/** virsh's last error line (what it prints after "failed to connect to the hypervisor"). */
async function virshError(uri: string): Promise<string> {
  const r = await runVirsh(['-c', uri, 'list', '--name']);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  return lines[lines.length - 1]?.slice('error: '.length) ?? `(no error; stdout ${r.stdout.trim()})`;
}

/** The certificate lines of a daemon log without time stamps, pids and libvirt's function names. */
function certificateLog(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => /certificate|Distinguished Name|authentication failed/i.test(l))
    .map((l) => l.replace(/^.*?: \d+: (\w+) : (?:\w+:\d+ : )?/, '$1: '));
}

/** The verdict byte, or the close, that a TLS client gets from the server (Node's client, any certificate). */
function verdictFor(
  port: number,
  client: Issued | undefined,
  ca: string,
  minVersion?: 'TLSv1.3',
  maxVersion?: 'TLSv1.2',
) {
  return new Promise<{ bytes: number[]; closed: boolean; error?: string }>((resolve) => {
    const bytes: number[] = [];
    let error: string | undefined;
    const s = tlsConnect({
      host: '127.0.0.1',
      port,
      ca: readFileSync(ca),
      ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
      checkServerIdentity: () => undefined,
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
    });
    s.on('data', (d: Buffer) => {
      bytes.push(...d);
      s.destroy();
    });
    s.on('error', (e) => {
      error = e.message;
    });
    s.on('close', () => resolve({ bytes, closed: true, error }));
  });
}

describe.skipIf(missing !== undefined)('TLS settings of tsvirtd and the client, against libvirt', () => {
  let dir: string;
  let ca: TestCa;
  let server: Issued;
  let good: Issued;
  let other: Issued;
  let revoked: Issued;
  const pki: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsvirt-tls-settings-'));
    ca = TestCa.create(dir);
    server = ca.issue('server', { subject: '/CN=localhost', role: 'server' });
    good = ca.issue('good', { subject: '/C=GB/O=Tsvirt, Inc./OU=QA/CN=client one', role: 'client' });
    other = ca.issue('other', { subject: '/O=tsvirt/CN=other client', role: 'client' });
    revoked = ca.issue('revoked', { subject: '/O=tsvirt/CN=revoked client', role: 'client' });
    const expiredClient = ca.issue('expiredcli', {
      subject: '/O=tsvirt/CN=expired client',
      role: 'client',
      startDate: '20200101000000Z',
      endDate: '20200102000000Z',
    });
    ca.issue('expiredsrv', {
      subject: '/CN=localhost',
      role: 'server',
      startDate: '20200101000000Z',
      endDate: '20200102000000Z',
    });
    ca.issue('futuresrv', {
      subject: '/CN=localhost',
      role: 'server',
      startDate: '20991231000000Z',
      endDate: '20991231235959Z',
    });
    const revokedServer = ca.issue('revokedsrv', { subject: '/CN=localhost', role: 'server' });
    // Usage problems: a critical key usage without keyEncipherment (libvirt refuses it), a
    // non-critical extended key usage for clients only (libvirt warns and goes on).
    const san = 'subjectAltName=IP:127.0.0.1,DNS:localhost';
    ca.issue('nokeyenc', {
      subject: '/CN=localhost',
      role: 'server',
      extensions: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', san],
    });
    ca.issue('clientpurpose', {
      subject: '/CN=localhost',
      role: 'server',
      extensions: ['basicConstraints=critical,CA:FALSE', 'extendedKeyUsage=clientAuth', san],
    });
    ca.revoke(revoked);
    ca.revoke(revokedServer);
    pki.good = ca.clientDir('good', good);
    pki.goodCrl = ca.clientDir('good-crl', good, true);
    pki.other = ca.clientDir('other', other);
    pki.revoked = ca.clientDir('revoked', revoked);
    pki.expired = ca.clientDir('expired', expiredClient);
    pki.nocert = ca.clientDir('nocert');
    // libvirtd runs as nobody: let it read these throw-away test keys.
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir, { recursive: true }) as string[]) chmodSync(join(dir, f), 0o755);
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("formats a certificate's DN as libvirt does (virt-pki-query-dn on the same files)", () => {
    const subjects = [
      '/C=GB/O=Tsvirt, Inc./OU=QA/CN=client one',
      '/DC=org/DC=example/OU=QA+UID=42/CN=#hash; <semi> "q" /emailAddress=a@b.c/GN=Ann/SN=Lee/title=Boss',
      '/CN= lead and trail  /O=Zürich/OU=a=b',
    ];
    for (const [i, subject] of subjects.entries()) {
      const name = `dn${i}`;
      execFileSync(
        '/usr/bin/openssl',
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
          '1',
        ].concat(['-utf8', '-multivalue-rdn', '-subj', subject]),
        { cwd: dir, stdio: 'ignore' },
      );
      const file = join(dir, `${name}.pem`);
      const libvirt = execFileSync('virt-pki-query-dn', [file], { encoding: 'utf8' }).trim();
      expect(certificateDn(new X509Certificate(readFileSync(file)))).toBe(libvirt);
    }
  });

  describe('tsvirtd with crl_file and tls_allowed_dn_list, beside libvirtd with the same lines', () => {
    const conf = () => [
      ...ca.serverConfig(server, true),
      'tls_allowed_dn_list = ["C=GB,O=Tsvirt* Inc.,OU=QA,CN=client one", "O=tsvirt,CN=revoked*"]',
    ];
    let t: Tsvirtd;
    let port = 0;
    beforeAll(async () => {
      port = await freePort();
      t = await startTsvirtd(['listen_tls = 1', `tls_port = "${port}"`, ...conf()]);
    }, 60_000);
    afterAll(async () => {
      if (t) {
        await t.stop();
        await removeTsvirtdDir(t);
      }
    });
    const uri = (p: string, extra = '') => `test+tls://127.0.0.1:${port}/default?pkipath=${p}${extra}`;

    it('a client on the list gets in (virsh and tsvirt)', async () => {
      const r = await runVirsh(['-c', uri(pki.good!), 'list', '--name']);
      expect(r.stdout.trim()).toBe('test');
      const c = await open(uri(pki.good!));
      expect((await c.lookupDomainByName('test')).getName()).toBe('test');
      await c.close();
    });

    it("revoked (CRL) and off-list clients are refused with libvirt's error and log lines", async () => {
      for (const p of [pki.revoked!, pki.other!]) {
        expect(await virshError(uri(p))).toBe('Unable to read TLS confirmation: Input/output error');
        const err = await failure(open(uri(p)));
        expect(err).toMatchObject({
          code: ErrorCode.SYSTEM_ERROR,
          domain: ErrorDomain.RPC,
          message: 'Unable to read TLS confirmation: Input/output error',
        });
      }
      const lines = certificateLog(await t.log());
      expect(lines).toContain('error: Certificate failed validation: The certificate has been revoked.');
      expect(lines).toContain(
        'warning: Certificate check failed Certificate failed validation: The certificate has been revoked.',
      );
      expect(lines).toContain("error: authentication failed: Failed to verify peer's certificate");
      expect(lines.some((l) => l.startsWith("error: Client's Distinguished Name is not on the list"))).toBe(true);
      expect(t.child.exitCode).toBeNull();
    });

    it.skipIf(libvirtdMissing !== undefined)(
      'libvirtd with the same settings refuses the same clients (tsvirt client) and logs the same lines',
      async () => {
        const lport = await freePort();
        const l = await startLibvirtd({
          prepare: async () => ['listen_tls = 1', `tls_port = "${lport}"`, 'auth_tls = "none"', ...conf()],
        });
        try {
          const luri = (p: string) => `test+tls://127.0.0.1:${lport}/default?pkipath=${p}`;
          const c = await open(luri(pki.good!));
          await c.close();
          for (const p of [pki.revoked!, pki.other!]) {
            const err = await failure(open(luri(p)));
            expect(err.message).toBe('Unable to read TLS confirmation: Input/output error');
          }
          // A client without any certificate, from Node's TLS client, to both daemons.
          for (const p of [port, lport]) expect(await verdictFor(p, undefined, ca.cacert)).toMatchObject({ bytes: [] });
          await new Promise((r) => setTimeout(r, 300));
          const theirs = certificateLog(await l.log());
          const ours = certificateLog(await t.log());
          expect(theirs.length).toBeGreaterThan(0);
          expect([...new Set(ours)]).toEqual(expect.arrayContaining([...new Set(theirs)]));
        } finally {
          await l.stop();
        }
      },
      60_000,
    );
  });

  it('tls_no_verify_certificate = 1 lets a revoked client in, logging that it ignores the problem', async () => {
    const port = await freePort();
    const t = await startTsvirtd([
      'listen_tls = 1',
      `tls_port = "${port}"`,
      ...ca.serverConfig(server, true),
      'tls_no_verify_certificate = 1',
    ]);
    try {
      const r = await runVirsh(['-c', `test+tls://127.0.0.1:${port}/default?pkipath=${pki.revoked}`, 'list', '--name']);
      expect(r.stdout.trim()).toBe('test');
      const lines = certificateLog(await t.log());
      expect(lines).toContain(
        'warning: Certificate check failed Certificate failed validation: The certificate has been revoked.',
      );
      expect(lines).toContain('info: Ignoring bad certificate at user request');
    } finally {
      await t.stop();
      await removeTsvirtdDir(t);
    }
  }, 30_000);

  describe('server certificates a client must refuse (tsvirtd serving them with tls_no_sanity_certificate = 1)', () => {
    for (const [label, name, clientPki] of [
      ['expired', 'expiredsrv', 'good'],
      ['not yet valid', 'futuresrv', 'good'],
      ['revoked (client cacrl.pem)', 'revokedsrv', 'goodCrl'],
    ] as const) {
      it(`${label}: tsvirt fails as virsh does, no_verify=1 connects both`, async () => {
        const port = await freePort();
        const cert = { name, cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
        const t = await startTsvirtd([
          'listen_tls = 1',
          `tls_port = "${port}"`,
          ...ca.serverConfig(cert),
          'tls_no_sanity_certificate = 1',
        ]);
        try {
          const u = `test+tls://127.0.0.1:${port}/default?pkipath=${pki[clientPki]}`;
          const expected = "authentication failed: Failed to verify peer's certificate";
          expect(await virshError(u)).toBe(expected);
          const err = await failure(open(u));
          expect(err).toMatchObject({ code: ErrorCode.AUTH_FAILED, domain: ErrorDomain.RPC, message: expected });
          // The reason libvirt logs as a warning travels as the cause.
          expect(String((err.cause as Error).message)).toMatch(
            /^Certificate failed validation: The certificate (is not trusted|has been revoked)\.$/,
          );
          expect((await runVirsh(['-c', `${u}&no_verify=1`, 'list', '--name'])).stdout.trim()).toBe('test');
          const warnings: string[] = [];
          const onWarning = (w: Error) => warnings.push(w.message);
          process.on('warning', onWarning);
          try {
            const c = await open(`${u}&no_verify=1`);
            await c.close();
          } finally {
            process.off('warning', onWarning);
          }
          expect(warnings.some((w) => w.startsWith('Certificate check failed Certificate failed validation:'))).toBe(
            true,
          );
        } finally {
          await t.stop();
          await removeTsvirtdDir(t);
        }
      }, 30_000);
    }

    it('without tls_no_sanity_certificate tsvirtd refuses to start with an expired certificate', async () => {
      const port = await freePort();
      const tmp = await mkdtemp(join(tmpdir(), 'tsvirt-tls-sanity-'));
      try {
        const conf = join(tmp, 'tsvirtd.conf');
        const lines = [
          `unix_sock_dir = "${tmp}/run"`,
          'listen_tls = 1',
          `tls_port = "${port}"`,
          ...ca.serverConfig({ name: 'x', cert: join(dir, 'expiredsrv.pem'), key: join(dir, 'expiredsrv.key') }),
        ];
        execFileSync('/bin/sh', ['-c', 'cat > "$1"', 'sh', conf], { input: `${lines.join('\n')}\n` });
        const { child, output } = spawnTsvirtd(['--listen', '--config', conf]);
        const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
        expect(code).toBe(1);
        expect(output()).toContain(`The server certificate ${join(dir, 'expiredsrv.pem')} has expired`);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }, 30_000);
  });

  it.skipIf(libvirtdMissing !== undefined)(
    'key usage and purpose of our own certificate: refused when critical, a warning when not, as libvirtd',
    async () => {
      const files = (name: string) =>
        ca.serverConfig({ name, cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) });
      // Critical key usage without key encipherment: libvirtd logs the error and serves no TLS;
      // tsvirtd stops with it (as it does for every TLS set-up error).
      const refused = `Certificate ${join(dir, 'nokeyenc.pem')} usage does not permit key encipherment`;
      // libvirtd exits (status 6) once it gets to its TLS set-up, which may be just before or just
      // after its other sockets are up: its log has the error either way.
      const libvirtdSays = await startLibvirtd({
        prepare: async () => ['listen_tls = 1', `tls_port = "${await freePort()}"`, ...files('nokeyenc')],
      }).then(
        async (l) => {
          let log = '';
          for (let i = 0; i < 30 && !log.includes(refused); i++) {
            await new Promise((r) => setTimeout(r, 100));
            log = await l.log();
          }
          await l.stop();
          return log;
        },
        (err: Error) => err.message,
      );
      expect(libvirtdSays).toContain(refused);
      await expect(
        startTsvirtd(['listen_tls = 1', `tls_port = "${await freePort()}"`, ...files('nokeyenc')]),
      ).rejects.toThrow(refused);
      // A non-critical purpose for clients only: both start, and both log the same warning.
      const warning = `Certificate ${join(dir, 'clientpurpose.pem')} purpose does not allow use for with a TLS server`;
      const l = await startLibvirtd({
        prepare: async () => ['listen_tls = 1', `tls_port = "${await freePort()}"`, ...files('clientpurpose')],
      });
      try {
        expect(await l.log()).toContain(warning);
      } finally {
        await l.stop();
      }
      const t = await startTsvirtd(['listen_tls = 1', `tls_port = "${await freePort()}"`, ...files('clientpurpose')]);
      try {
        expect(await t.log()).toContain(`warning : ${warning}`);
      } finally {
        await t.stop();
        await removeTsvirtdDir(t);
      }
    },
    60_000,
  );

  it("an expired client certificate is refused before connecting, even with no_verify=1, in libvirt's words", async () => {
    const u = `test+tls://127.0.0.1:1/default?pkipath=${pki.expired}`;
    const expected = `The client certificate ${pki.expired}/clientcert.pem has expired`;
    for (const extra of ['', '&no_verify=1']) {
      expect(await virshError(u + extra)).toBe(expected);
      expect(await failure(open(u + extra))).toMatchObject({ code: ErrorCode.SYSTEM_ERROR, message: expected });
    }
  });

  describe('tls_priority', () => {
    it('NORMAL:-VERS-TLS1.3 serves TLS 1.2 only; what cannot be honoured is logged, not dropped silently', async () => {
      const port = await freePort();
      const t = await startTsvirtd([
        'listen_tls = 1',
        `tls_port = "${port}"`,
        ...ca.serverConfig(server),
        'tls_priority = "NORMAL:-VERS-TLS1.3:+AES-256-GCM:%COMPAT"',
      ]);
      try {
        expect(await verdictFor(port, good, ca.cacert, 'TLSv1.3')).toMatchObject({ bytes: [] });
        const v12 = await verdictFor(port, good, ca.cacert, undefined, 'TLSv1.2');
        expect(v12, `${JSON.stringify(v12)}\n${await t.log()}`).toMatchObject({ bytes: [1] });
        const r = await runVirsh(['-c', `test+tls://127.0.0.1:${port}/default?pkipath=${pki.good}`, 'list', '--name']);
        expect(r.stdout.trim()).toBe('test');
        const log = await t.log();
        expect(log).toContain("tls_priority: '+AES-256-GCM' cannot be honoured by tsvirtd");
        expect(log).toContain("tls_priority: '%COMPAT' cannot be honoured by tsvirtd");
        expect(log).toContain('TLS 1.0 and 1.1 are not offered by tsvirtd');
      } finally {
        await t.stop();
        await removeTsvirtdDir(t);
      }
    }, 30_000);

    it('a string that is not a priority string stops tsvirtd at start-up', async () => {
      const port = await freePort();
      await expect(
        startTsvirtd(['listen_tls = 1', `tls_port = "${port}"`, ...ca.serverConfig(server), 'tls_priority = "BOGUS"']),
      ).rejects.toThrow(/Failed to set TLS session priority to BOGUS: The request is invalid/);
    }, 30_000);
  });
});
