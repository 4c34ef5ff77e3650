/**
 * Endpoint selection for every transport (default sockets, TLS credential paths, the ssh argument
 * vector and the far-side command), with injected uid/env/exists so no host path is consulted.
 * The far-side command is also run by a real `sh` with stub programs, to prove its quoting.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, ErrorDomain, parseConnectUri } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultUnixSocket, endpointFor, shellQuote, sshRemoteCommand, tlsCredentialPaths } from '../src/index.js';

const u = parseConnectUri;
const none = () => false;
const only =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe('default unix sockets (libvirt 9 remote_sockets.c rules)', () => {
  const root = { uid: 0, exists: none, env: {} };
  const user = { uid: 1000, exists: none, env: { XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/u' } };

  it("root: libvirtd's socket when nothing exists (Debian's build default: legacy), read-only uses -ro", () => {
    expect(defaultUnixSocket(u('qemu:///system'), false, root)).toBe('/var/run/libvirt/libvirt-sock');
    expect(defaultUnixSocket(u('qemu:///system'), true, root)).toBe('/var/run/libvirt/libvirt-sock-ro');
    const direct = { ...root, fallbackMode: 'direct' as const };
    expect(defaultUnixSocket(u('qemu:///system'), true, direct)).toBe('/var/run/libvirt/virtqemud-sock-ro');
    expect(defaultUnixSocket(u('remote:///system'), false, root)).toBe('/var/run/libvirt/libvirt-sock');
  });

  it('auto mode: the direct socket if present, else the legacy libvirtd socket', () => {
    const legacy = { ...root, exists: only('/var/run/libvirt/libvirt-sock') };
    expect(defaultUnixSocket(u('qemu:///system'), false, legacy)).toBe('/var/run/libvirt/libvirt-sock');
    const both = { ...root, exists: only('/var/run/libvirt/libvirt-sock', '/var/run/libvirt/virtqemud-sock') };
    expect(defaultUnixSocket(u('qemu:///system'), false, both)).toBe('/var/run/libvirt/virtqemud-sock');
    expect(defaultUnixSocket(u('qemu:///system'), false, { ...root, fallbackMode: 'direct' })).toBe(
      '/var/run/libvirt/virtqemud-sock',
    );
  });

  it('mode=legacy|direct forces the choice; other values are refused', () => {
    const both = { ...root, exists: only('/var/run/libvirt/virtqemud-sock') };
    expect(defaultUnixSocket(u('qemu:///system?mode=legacy'), false, both)).toBe('/var/run/libvirt/libvirt-sock');
    expect(defaultUnixSocket(u('lxc:///system?mode=direct'), true, root)).toBe('/var/run/libvirt/virtlxcd-sock-ro');
    expect(() => defaultUnixSocket(u('qemu:///system?mode=fast'), false, root)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.REMOTE }),
    );
  });

  it('non-root /session and test+ URIs use the per-user runtime directory', () => {
    const direct = only('/run/user/1000/libvirt/virtqemud-sock');
    expect(defaultUnixSocket(u('qemu:///session'), false, { ...user, exists: direct })).toBe(
      '/run/user/1000/libvirt/virtqemud-sock',
    );
    // No -ro socket for session daemons.
    expect(defaultUnixSocket(u('qemu:///session'), true, user)).toBe('/run/user/1000/libvirt/libvirt-sock');
    expect(defaultUnixSocket(u('test+unix:///default'), false, { ...user, fallbackMode: 'direct' })).toBe(
      '/run/user/1000/libvirt/virttestd-sock',
    );
    const noXdg = { uid: 1000, exists: none, env: { HOME: '/home/u' } };
    expect(defaultUnixSocket(u('qemu:///session'), false, noXdg)).toBe('/home/u/.cache/libvirt/libvirt-sock');
    // A non-root user's /system URI still means the system daemon.
    expect(defaultUnixSocket(u('qemu:///system'), false, user)).toBe('/var/run/libvirt/libvirt-sock');
  });

  it('endpointFor: ?socket= wins; +unix with a host is refused with libvirt wording', () => {
    expect(endpointFor(u('qemu+unix:///system?socket=/tmp/x.sock'), false)).toMatchObject({
      kind: 'unix',
      path: '/tmp/x.sock',
    });
    expect(endpointFor(u('qemu:///system'), true, '', { socket: root })).toMatchObject({
      kind: 'unix',
      path: '/var/run/libvirt/libvirt-sock-ro',
    });
    expect(() => endpointFor(u('qemu+unix://host/system'), false)).toThrow(
      "invalid argument: using unix socket and remote server 'host' is not supported.",
    );
  });
});

describe('+tls endpoints', () => {
  it('port 16514 by default, the URI port overrides; a host without + means TLS', () => {
    const tls = { uid: 0, exists: none, env: {} };
    expect(endpointFor(u('qemu+tls://h.example/system'), false, '', { tls })).toMatchObject({
      kind: 'tls',
      host: 'h.example',
      port: 16514,
      noVerify: false,
    });
    expect(endpointFor(u('qemu://h.example:1234/system?no_verify=1'), false, '', { tls })).toMatchObject({
      kind: 'tls',
      port: 1234,
      noVerify: true,
    });
  });

  it("credentials: pkipath=, then a non-root user's ~/.pki/libvirt file by file, else /etc/pki", () => {
    expect(tlsCredentialPaths('/p')).toEqual({
      cacert: '/p/cacert.pem',
      cacrl: '/p/cacrl.pem',
      cert: '/p/clientcert.pem',
      key: '/p/clientkey.pem',
    });
    const system = {
      cacert: '/etc/pki/CA/cacert.pem',
      cacrl: '/etc/pki/CA/cacrl.pem',
      cert: '/etc/pki/libvirt/clientcert.pem',
      key: '/etc/pki/libvirt/private/clientkey.pem',
    };
    expect(tlsCredentialPaths(undefined, { uid: 0, exists: () => true, env: { HOME: '/root' } })).toEqual(system);
    const d = '/home/u/.pki/libvirt';
    const all = only(`${d}/cacert.pem`, `${d}/clientcert.pem`, `${d}/clientkey.pem`);
    expect(tlsCredentialPaths(undefined, { uid: 1000, exists: all, env: { HOME: '/home/u' } }).cacert).toBe(
      `${d}/cacert.pem`,
    );
    // As libvirt: the CA and the CRL each on their own, certificate and key only as a pair.
    const partial = only(`${d}/cacert.pem`, `${d}/clientcert.pem`);
    expect(tlsCredentialPaths(undefined, { uid: 1000, exists: partial, env: { HOME: '/home/u' } })).toEqual({
      ...system,
      cacert: `${d}/cacert.pem`,
    });
    expect(tlsCredentialPaths(undefined, { uid: 1000, exists: only(), env: { HOME: '/home/u' } })).toEqual(system);
  });
});

describe('+ssh endpoints', () => {
  it('builds the ssh argument vector from the URI (user, port, keyfile, known hosts, no_tty, command=)', () => {
    const ep = endpointFor(
      u(
        'qemu+ssh://root@h.example:2222/system?keyfile=/k/id&known_hosts=/k/kh&known_hosts_verify=auto&no_tty=1&no_verify=1&proxy=netcat&command=/opt/ssh',
      ),
      false,
      'qemu:///system',
    );
    expect(ep.kind).toBe('command');
    if (ep.kind !== 'command') return;
    expect(ep.argv.slice(0, -1)).toEqual([
      '/opt/ssh',
      '-p',
      '2222',
      '-l',
      'root',
      '-i',
      '/k/id',
      '-o',
      'UserKnownHostsFile=/k/kh',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-T',
      '-o',
      'BatchMode=yes',
      '-e',
      'none',
      '-o',
      'StrictHostKeyChecking=no',
      '--',
      'h.example',
    ]);
    // Legacy naming of the far side's socket over ssh.
    expect(ep.argv.at(-1)).toContain('/var/run/libvirt/libvirt-sock');
  });

  it('a host that looks like an option stays a host (after --)', () => {
    const ep = endpointFor(u('test+ssh://-oProxyCommand=x/default'), false, 'test:///default');
    if (ep.kind !== 'command') throw new Error('expected a command');
    expect(ep.argv.indexOf('--')).toBe(ep.argv.length - 3);
  });

  it('refuses unknown proxy= and known_hosts_verify= values, and netcat= with proxy=native', () => {
    expect(() => endpointFor(u('test+ssh://h/default?proxy=magic'), false)).toThrow(/Unknown remote proxy 'magic'/);
    expect(() => endpointFor(u('test+ssh://h/default?known_hosts_verify=yes'), false)).toThrow(/known_hosts_verify/);
    expect(() => endpointFor(u('test+ssh://h/default?proxy=native&netcat=/bin/nc'), false)).toThrow(
      'invalid argument: netcat path not valid with native proxy mode',
    );
  });

  it('shellQuote makes one word of anything', () => {
    for (const s of ['plain', "it's", 'a b', '$(id)', '`id`', '"q"', '\\', '', ';rm -rf /', 'x\ny']) {
      const out = spawnSync('sh', ['-c', `printf %s ${shellQuote(s)}`], { encoding: 'utf8' });
      expect(out.stdout).toBe(s);
    }
  });

  describe('the far-side command, run by a real sh with stub programs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-sshcmd-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const stub = (name: string) => {
      const p = join(dir, name);
      // Each stub records its arguments, one per line.
      writeFileSync(p, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${join(dir, `${name}.args`)}\n`);
      chmodSync(p, 0o755);
    };
    const run = (command: string, path: string) =>
      spawnSync('sh', ['-c', command], { env: { PATH: `${path}:/usr/bin:/bin` }, encoding: 'utf8' });
    const args = (name: string) =>
      readFileSync(join(dir, `${name}.args`), 'utf8')
        .split('\n')
        .slice(0, -1);
    const nastyUri = "test:///default?x=it's $(touch /tmp/pwned) `id`";

    it('auto: virt-ssh-helper gets the URI as one argument (-r when read-only)', () => {
      stub('virt-ssh-helper');
      const cmd = sshRemoteCommand({ proxy: 'auto', socket: '/s', driverUri: nastyUri, readOnly: true });
      expect(run(cmd, dir).status).toBe(0);
      expect(args('virt-ssh-helper')).toEqual(['-r', nastyUri]);
    });

    it('netcat: nc -U SOCKET, with the socket path as one argument', () => {
      const ncDir = join(dir, 'nc');
      spawnSync('mkdir', ['-p', ncDir]);
      const p = join(ncDir, 'nc');
      writeFileSync(p, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${join(dir, 'nc.args')}\n`);
      chmodSync(p, 0o755);
      const sock = "/run/my sock's/libvirt-sock";
      const cmd = sshRemoteCommand({ proxy: 'netcat', socket: sock, driverUri: nastyUri, readOnly: false });
      expect(run(cmd, ncDir).status).toBe(0);
      expect(args('nc')).toEqual(['-U', sock]);
    });
  });
});
