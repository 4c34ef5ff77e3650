/**
 * Starts a real libvirtd for tests, as ../shared/PEERS.md describes: as user nobody (setpriv),
 * everything (config, sockets, pid file, logs, state) in a private temp directory owned by
 * 65534, TCP only on 127.0.0.1 with auth none. Nothing under the host's /etc, /var or /run is
 * touched, and only the PID this module spawned is ever signalled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOBODY = 65534;
const LIBVIRTD_CANDIDATES = ['/usr/sbin/libvirtd', '/usr/bin/libvirtd'];
const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];

export interface Libvirtd {
  dir: string;
  port: number;
  /** The read-write unix socket. */
  socket: string;
  pid: number;
  tcpUri(path?: string): string;
  unixUri(path?: string): string;
  /** The daemon's log so far (for failure messages). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Why the real-libvirtd tests cannot run here, or undefined when they can. */
export function libvirtdUnavailable(): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'not running as root (libvirtd is started as user nobody through setpriv, which needs root)';
  }
  if (!LIBVIRTD_CANDIDATES.some(existsSync)) {
    return 'libvirtd is not installed (apt-get install -y --no-install-recommends libvirt-daemon libvirt-daemon-driver-qemu)';
  }
  if (!SETPRIV_CANDIDATES.some(existsSync)) return 'setpriv (util-linux) is not installed';
  return undefined;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(opts: { path: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(opts as never);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`libvirtd exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`libvirtd was not ready within ${timeoutMs} ms`);
}

export interface StartOptions {
  /** Runs in the fresh directory before start; returns extra libvirtd.conf lines (files it makes are chowned to nobody). */
  prepare?: (dir: string) => Promise<string[]>;
}

async function chownTree(path: string): Promise<void> {
  await chown(path, NOBODY, NOBODY);
  for (const e of await readdir(path, { withFileTypes: true })) {
    if (e.isDirectory()) await chownTree(join(path, e.name));
    else await chown(join(path, e.name), NOBODY, NOBODY);
  }
}

export async function startLibvirtd(options: StartOptions = {}): Promise<Libvirtd> {
  const why = libvirtdUnavailable();
  if (why) throw new Error(`cannot start libvirtd: ${why}`);
  const libvirtd = LIBVIRTD_CANDIDATES.find(existsSync)!;
  const setpriv = SETPRIV_CANDIDATES.find(existsSync)!;

  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-libvirtd-'));
  const sub = ['run', 'home', 'config', 'cache'];
  for (const s of sub) await mkdir(join(dir, s));
  const port = await freePort();
  const extra = options.prepare ? await options.prepare(dir) : [];
  const key = (line: string) => line.split('=')[0]?.trim();
  const overridden = new Set(extra.map(key));
  const conf = [
    `unix_sock_dir = "${dir}/run"`,
    'auth_unix_rw = "none"',
    'auth_unix_ro = "none"',
    'listen_tls = 0',
    'listen_tcp = 1',
    'listen_addr = "127.0.0.1"',
    `tcp_port = "${port}"`,
    'auth_tcp = "none"',
    `log_outputs = "3:file:${dir}/libvirtd.log"`,
  ]
    // The caller's lines replace the defaults they name (libvirtd would read the first one).
    .filter((line) => !overridden.has(key(line)))
    .concat(extra, '')
    .join('\n');
  await writeFile(join(dir, 'libvirtd.conf'), conf);
  await chownTree(dir);
  await chmod(dir, 0o755);

  const child = spawn(
    setpriv,
    [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      libvirtd,
      '--listen',
      '--config',
      join(dir, 'libvirtd.conf'),
      '--pid-file',
      join(dir, 'run', 'libvirtd.pid'),
    ],
    {
      // The equivalent of `env -i PATH=... HOME=DIR/home XDG_*=DIR/...`: nothing else is inherited.
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: join(dir, 'home'),
        XDG_RUNTIME_DIR: join(dir, 'run'),
        XDG_CONFIG_HOME: join(dir, 'config'),
        XDG_CACHE_HOME: join(dir, 'cache'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('failed to spawn libvirtd');
  const socket = join(dir, 'run', 'libvirt-sock');
  // If the test process ends without afterAll (a crash, a kill), take this daemon (and only it) down too.
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', onExit);

  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(async () => existsSync(socket) && (await canConnect({ host: '127.0.0.1', port })), child, 15_000);
  } catch (err) {
    const log = await readFile(join(dir, 'libvirtd.log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`${(err as Error).message}\nstderr: ${stderr}\nlog: ${log.slice(-2000)}`);
  }

  return {
    dir,
    port,
    socket,
    pid,
    tcpUri: (path = '/default') => `test+tcp://127.0.0.1:${port}${path}`,
    unixUri: (path = '/default') => `test+unix://${path}?socket=${socket}`,
    log: () => readFile(join(dir, 'libvirtd.log'), 'utf8').catch(() => ''),
    stop,
  };
}

/** libvirtd with an empty directory (owned by nobody) for a dir storage pool: DIR/pool. */
export async function startLibvirtdWithPoolDir(): Promise<{ libvirtd: Libvirtd; poolDir: string }> {
  let poolDir = '';
  const libvirtd = await startLibvirtd({
    prepare: async (dir) => {
      poolDir = join(dir, 'pool');
      await mkdir(poolDir);
      return [];
    },
  });
  return { libvirtd, poolDir };
}
