/**
 * A private OpenSSH server for the +ssh tests: listens on 127.0.0.1 at a free port, with a host
 * key, client key, authorized_keys and known_hosts made in a temp directory, no PAM, key login only.
 * sshd insists on its privilege-separation directory /run/sshd; rather than create it on the
 * host, sshd runs in its own mount namespace with a private tmpfs on /run. Only the PID spawned
 * here is ever signalled.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './libvirtd.js';

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const UNSHARE = '/usr/bin/unshare';

export function sshdUnavailable(): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not running as root';
  if (!existsSync(SSHD)) return 'sshd is not installed (apt-get install -y --no-install-recommends openssh-server)';
  if (!existsSync('/usr/bin/ssh')) return 'the ssh client is not installed';
  if (!existsSync(UNSHARE)) return 'unshare (util-linux) is not installed';
  return undefined;
}

export interface Sshd {
  dir: string;
  port: number;
  /** The client's private key (keyfile=). */
  keyfile: string;
  /** A known_hosts file that trusts this server's host key. */
  knownHosts: string;
  /** An empty known_hosts file (the server is unknown). */
  emptyKnownHosts: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

function keygen(path: string): void {
  execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', path], { stdio: 'ignore' });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sshd exited (${child.exitCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd was not ready within ${timeoutMs} ms`);
}

/**
 * `runLibvirt`: a directory to show as /run/libvirt inside sshd's namespace, so that a far-side
 * virt-ssh-helper finds a test libvirtd's socket where libvirt looks for the system one.
 */
export async function startSshd(runLibvirt?: string): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-sshd-'));
  await chmod(dir, 0o700);
  const hostKey = join(dir, 'host_key');
  const keyfile = join(dir, 'client_key');
  keygen(hostKey);
  keygen(keyfile);
  const authorized = join(dir, 'authorized_keys');
  await writeFile(authorized, await readFile(`${keyfile}.pub`));
  const port = await freePort();
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
  const emptyKnownHosts = join(dir, 'known_hosts_empty');
  await writeFile(emptyKnownHosts, '');
  const config = join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'sshd.log');
  // A fixed script; the paths arrive as positional parameters, never inside the script text.
  const script =
    'mount -t tmpfs tsvirt-sshd /run && mkdir -m 755 /run/sshd && ' +
    'if [ -n "$4" ]; then mkdir /run/libvirt && mount --bind "$4" /run/libvirt; fi && ' +
    'exec "$1" -D -f "$2" -E "$3"';
  const argv = [
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    script,
    'sh',
    SSHD,
    config,
    logFile,
    runLibvirt ?? '',
  ];
  const child = spawn(UNSHARE, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('failed to spawn sshd');
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      // The listener is sshd itself (exec'd from the sh unshare started); its sessions end with it.
      process.kill(pid, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    dir,
    port,
    keyfile,
    knownHosts,
    emptyKnownHosts,
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    stop,
  };
}
