/**
 * @tsvirt/remote's +tls and +ssh transports and the connect sequence (keepalive, per-call
 * timeouts, close callback) against the real libvirtd 9.0 of this machine, a private OpenSSH
 * server and openssl-made certificates, all in temp directories (see ./libvirtd.ts, ./sshd.ts,
 * ./pki.ts). Failure cases must fail quickly with a clear error, never hang.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { type Connection, connect, ErrorCode, ErrorDomain } from '@tsvirt/core';
import { CloseReason, driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVirsh } from '../cli/run-both.js';
import { freePort, type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';
import { makePki, opensslUnavailable, type Pki } from './pki.js';
import { type Sshd, sshdUnavailable, startSshd } from './sshd.js';

const libvirtdMissing = libvirtdUnavailable();
const tlsMissing = libvirtdMissing ?? opensslUnavailable();
const sshMissing = libvirtdMissing ?? sshdUnavailable();
if (tlsMissing) console.warn(`[tests/remote] skipping the +tls tests: ${tlsMissing}`);
if (sshMissing) console.warn(`[tests/remote] skipping the +ssh tests: ${sshMissing}`);

const open = (uri: string, config?: Record<string, unknown>) => connect(uri, { drivers: [driver], config });

async function expectWorking(c: Connection): Promise<void> {
  try {
    expect(c.getType()).toBe('TEST');
    expect((await c.lookupDomainByName('test')).getID()).toBe(1);
  } finally {
    await c.close();
  }
}

/** Resolves with how long `p` took to settle, and its rejection. */
async function rejection(p: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const t0 = Date.now();
  try {
    await p;
  } catch (err) {
    return { err, ms: Date.now() - t0 };
  }
  throw new Error('expected a failure');
}

describe.skipIf(tlsMissing !== undefined)('+tls against libvirtd (listen_tls = 1, openssl-made certificates)', () => {
  let daemon: Libvirtd;
  let pki: Pki;
  let tlsPort = 0;
  const uri = (dir: string, host = '127.0.0.1', extra = '') =>
    `test+tls://${host}:${tlsPort}/default?pkipath=${dir}${extra}`;

  beforeAll(async () => {
    tlsPort = await freePort();
    daemon = await startLibvirtd({
      prepare: async (dir) => {
        pki = await makePki(join(dir, 'pki'));
        return ['listen_tls = 1', `tls_port = "${tlsPort}"`, 'auth_tls = "none"', ...pki.serverConfig];
      },
    });
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it('connects to 127.0.0.1 (IP in the certificate) and to localhost (DNS name) with pkipath=', async () => {
    await expectWorking(await open(uri(pki.clientDir)));
    await expectWorking(await open(uri(pki.clientDir, 'localhost')));
  });

  /** virsh's last error line for the same URI: libvirt's own client is the reference. */
  const virshError = async (u: string) => {
    const r = await runVirsh(['-c', u, 'list', '--name']);
    return r.stderr
      .split('\n')
      .filter((l) => l.startsWith('error: '))
      .pop()
      ?.slice('error: '.length);
  };

  it('a server certificate from another CA fails as in virsh (no_verify=1 skips that check only)', async () => {
    // The other CA's certificate and no client certificate of our own.
    const dir = join(pki.dir, 'client-other-ca-only');
    await mkdir(dir);
    await copyFile(pki.otherCaCert, join(dir, 'cacert.pem'));
    const { err, ms } = await rejection(open(uri(dir)));
    expect(err).toMatchObject({
      code: ErrorCode.AUTH_FAILED,
      domain: ErrorDomain.RPC,
      message: "authentication failed: Failed to verify peer's certificate",
    });
    expect(((err as Error).cause as Error).message).toBe(
      "Certificate failed validation: The certificate hasn't got a known issuer.",
    );
    expect((err as Error).message).toBe(await virshError(uri(dir)));
    expect(ms).toBeLessThan(5000);
    // no_verify skips our check of the server; the server then refuses us (no certificate).
    const second = await rejection(open(uri(dir, '127.0.0.1', '&no_verify=1')));
    expect((second.err as Error).message).toBe('Unable to read TLS confirmation: Input/output error');
    expect((second.err as Error).message).toBe(await virshError(uri(dir, '127.0.0.1', '&no_verify=1')));
  });

  it('a client certificate our own CA file does not vouch for is refused before connecting, as virsh does', async () => {
    for (const dir of [pki.wrongCaDir, pki.untrustedClientDir]) {
      for (const extra of ['', '&no_verify=1']) {
        const { err } = await rejection(open(uri(dir, '127.0.0.1', extra)));
        expect(err).toMatchObject({ code: ErrorCode.SYSTEM_ERROR });
        expect((err as Error).message).toBe(
          `Our own certificate ${dir}/clientcert.pem failed validation against ${dir}/cacert.pem: The certificate hasn't got a known issuer.`,
        );
        expect((err as Error).message).toBe(await virshError(uri(dir, '127.0.0.1', extra)));
      }
    }
  });

  it("libvirtd's verdict on our certificate: without one, libvirt's confirmation error", async () => {
    const { err, ms } = await rejection(open(uri(pki.noClientCertDir)));
    expect((err as Error).message).toBe('Unable to read TLS confirmation: Input/output error');
    expect((err as Error).message).toBe(await virshError(uri(pki.noClientCertDir)));
    expect(ms).toBeLessThan(5000);
    // libvirtd served the next good client as usual.
    await expectWorking(await open(uri(pki.clientDir)));
  });

  it('no hang: TLS to the plain RPC port fails at once; a silent server hits the connect timeout', async () => {
    // libvirtd reads our ClientHello as an oversized frame length and hangs up.
    const plain = `test+tls://127.0.0.1:${daemon.port}/default?pkipath=${pki.clientDir}`;
    const first = await rejection(open(plain));
    expect(first.err).toMatchObject({ domain: ErrorDomain.RPC });
    expect(first.ms).toBeLessThan(5000);
    const silent = createNetServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const a = silent.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    try {
      const second = await rejection(
        open(`test+tls://127.0.0.1:${port}/default?pkipath=${pki.clientDir}`, { connectTimeoutMs: 500 }),
      );
      expect(second.err).toMatchObject({
        code: ErrorCode.OPERATION_TIMEOUT,
        message: `Timed out connecting to 127.0.0.1:${port}`,
      });
      expect(second.ms).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it('a missing CA certificate is a system error naming the file', async () => {
    await expect(open(uri('/nonexistent-tsvirt-pki'))).rejects.toMatchObject({
      code: ErrorCode.SYSTEM_ERROR,
      message: "Cannot read CA certificate '/nonexistent-tsvirt-pki/cacert.pem': No such file or directory",
    });
  });

  describe('against a local TLS server holding the same server certificate', () => {
    let server: TlsServer;
    let port = 0;
    let verdict = Buffer.from([1]);
    beforeAll(async () => {
      server = createTlsServer({ key: await readFile(pki.serverKey), cert: await readFile(pki.serverCert) }, (s) => {
        s.on('error', () => {});
        s.write(verdict);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
      const a = server.address();
      port = typeof a === 'object' && a ? a.port : 0;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('the host name is checked against the certificate (127.0.0.2 is not in it), no_verify=1 skips that', async () => {
      const u = `test+tls://127.0.0.2:${port}/default?pkipath=${pki.clientDir}`;
      const { err } = await rejection(open(u));
      expect(err).toMatchObject({
        code: ErrorCode.AUTH_FAILED,
        message: "authentication failed: Failed to verify peer's certificate",
      });
      expect(((err as Error).cause as Error).message).toBe(
        'Certificate [session] owner does not match the hostname 127.0.0.2',
      );
      // With no_verify the handshake passes; the verdict byte is 0 here, so the connection still fails, clearly.
      verdict = Buffer.from([0]);
      const second = await rejection(open(`${u}&no_verify=1`));
      expect((second.err as Error).message).toBe('server verification (of our certificate or IP address) failed');
    });
  });
});

describe.skipIf(sshMissing !== undefined)('+ssh through a private sshd to libvirtd', () => {
  let daemon: Libvirtd;
  let sshd: Sshd;
  const base = () => `test+ssh://root@127.0.0.1:${sshd.port}/default`;
  const params = (p: Record<string, string>) =>
    Object.entries({ keyfile: sshd.keyfile, known_hosts: sshd.knownHosts, no_tty: '1', ...p })
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');

  beforeAll(async () => {
    daemon = await startLibvirtd();
    sshd = await startSshd(join(daemon.dir, 'run'));
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    await daemon?.stop();
  });

  it('legacy relay: nc -U SOCKET on the far side (proxy=netcat, and netcat= in auto mode)', async () => {
    await expectWorking(await open(`${base()}?${params({ proxy: 'netcat', socket: daemon.socket })}`));
    await expectWorking(await open(`${base()}?${params({ netcat: '/usr/bin/nc', socket: daemon.socket })}`));
  });

  it('modern relay: virt-ssh-helper on the far side finds the daemon by the URI (default and proxy=native)', async () => {
    await expectWorking(await open(`${base()}?${params({})}`));
    await expectWorking(await open(`${base()}?${params({ proxy: 'native' })}`));
    // Read-only goes as `virt-ssh-helper -r`, which wants the daemon's -ro socket; this test daemon has
    // none, and the helper's own words come back through ssh.
    await expect(connect(`${base()}?${params({})}`, { drivers: [driver], readOnly: true })).rejects.toMatchObject({
      code: ErrorCode.SYSTEM_ERROR,
      message: expect.stringMatching(/virt-ssh-helper: cannot connect to '\/var\/run\/libvirt\/libvirt-sock-ro'/),
    });
  });

  it('an unknown host key fails at once under no_tty; known_hosts_verify=auto accepts and records it', async () => {
    const { err, ms } = await rejection(open(`${base()}?${params({ known_hosts: sshd.emptyKnownHosts })}`));
    expect(err).toMatchObject({ code: ErrorCode.SYSTEM_ERROR, domain: ErrorDomain.RPC });
    expect((err as Error).message).toMatch(/Host key verification failed/);
    expect(ms).toBeLessThan(10_000);
    const fresh = join(sshd.dir, 'known_hosts_fresh');
    await copyFile(sshd.emptyKnownHosts, fresh);
    await expectWorking(await open(`${base()}?${params({ known_hosts: fresh, known_hosts_verify: 'auto' })}`));
    // (hashed or not, as the system's ssh_config says)
    expect(await readFile(fresh, 'utf8')).toMatch(/ ssh-ed25519 AAAA/);
  });

  it('a key the server does not accept fails with ssh’s own words', async () => {
    const wrongKey = join(sshd.dir, 'host_key');
    const { err } = await rejection(open(`${base()}?${params({ keyfile: wrongKey })}`));
    expect((err as Error).message).toMatch(/Permission denied/);
  });
});

describe.skipIf(libvirtdMissing !== undefined)(
  'keepalive, call timeouts and the close callback against libvirtd',
  () => {
    let daemon: Libvirtd;
    beforeAll(async () => {
      daemon = await startLibvirtd();
    }, 60_000);
    afterAll(async () => {
      await daemon?.stop();
    });
    const stopDaemon = () => process.kill(daemon.pid, 'SIGSTOP');
    const contDaemon = () => process.kill(daemon.pid, 'SIGCONT');

    it('an idle healthy connection survives several keepalive intervals (libvirtd answers our PINGs)', async () => {
      const c = await open(daemon.unixUri(), { keepaliveInterval: 0.3, keepaliveCount: 1 });
      try {
        await new Promise((r) => setTimeout(r, 1500));
        expect(c.isAlive()).toBe(true);
        expect(await c.getVersion()).toBeGreaterThan(0);
      } finally {
        await c.close();
      }
    });

    it('a stopped daemon: the call times out (per-call timeout), then keepalive closes the connection and the close callback says why', async () => {
      const c = await open(daemon.unixUri(), { keepaliveInterval: 0.5, keepaliveCount: 2, callTimeoutMs: 400 });
      const closed = new Promise<{ reason: number; error: Error }>((resolve) =>
        c.onClose((reason, error) => resolve({ reason, error })),
      );
      stopDaemon();
      try {
        await expect(c.getVersion()).rejects.toMatchObject({ code: ErrorCode.OPERATION_TIMEOUT });
        const t0 = Date.now();
        const { reason, error } = await closed;
        expect(reason).toBe(CloseReason.KEEPALIVE);
        expect(error.message).toMatch(/connection closed due to keepalive timeout/);
        expect(Date.now() - t0).toBeLessThan(5000);
        expect(c.isAlive()).toBe(false);
        await expect(c.getVersion()).rejects.toMatchObject({ message: 'client socket is closed' });
      } finally {
        contDaemon();
        await c.close();
      }
      // The daemon is fine once continued.
      await expectWorking(await open(daemon.unixUri()));
    });

    it('keepalive can be turned off (interval 0): the connection then waits for the daemon', async () => {
      const c = await open(daemon.unixUri(), { keepaliveInterval: 0 });
      stopDaemon();
      try {
        const pending = c.getVersion();
        await new Promise((r) => setTimeout(r, 1500));
        expect(c.isAlive()).toBe(true);
        contDaemon();
        expect(await pending).toBeGreaterThan(0);
      } finally {
        contDaemon();
        await c.close();
      }
    });

    it('+ext: the command= program relays the connection (here nc -U to the daemon socket)', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tsvirt-ext-'));
      try {
        const relay = join(dir, 'relay');
        // libvirt runs the ext command with no arguments, so the socket path lives in the script.
        await writeFile(relay, `#!/bin/sh\nexec nc -U '${daemon.socket}'\n`, { mode: 0o755 });
        await expectWorking(await open(`test+ext:///default?command=${relay}`));
        await expect(open('test+ext:///default')).rejects.toMatchObject({
          code: ErrorCode.INVALID_ARG,
          message: "invalid argument: remote_open: for 'ext' transport, command is required",
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('the close callback reports EOF when the daemon goes away, and stays quiet on our own close', async () => {
      const mine = await open(daemon.tcpUri());
      let called = false;
      mine.onClose(() => {
        called = true;
      });
      await mine.close();
      await new Promise((r) => setTimeout(r, 100));
      expect(called).toBe(false);

      const c = await open(daemon.unixUri());
      const closed = new Promise<number>((r) => c.onClose((reason) => r(reason)));
      await daemon.stop();
      expect(await closed).toBe(CloseReason.EOF);
      expect(c.isAlive()).toBe(false);
      await c.close();
    });
  },
);
