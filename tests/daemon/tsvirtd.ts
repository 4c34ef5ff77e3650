/**
 * Starts tsvirtd from the sources for tests: its own temp directory (config, sockets, pid file,
 * log), TCP on 127.0.0.1 with a free port. Only the PID spawned here is ever signalled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../cli/run-both.js';
import { freePort } from '../remote/libvirtd.js';

const TSX = `${REPO}node_modules/tsx/dist/esm/index.mjs`;
const MAIN = `${REPO}packages/daemon/src/main.ts`;

export interface Tsvirtd {
  dir: string;
  port: number;
  socket: string;
  roSocket: string;
  pidFile: string;
  child: ChildProcess;
  unixUri(path?: string): string;
  roUri(path?: string): string;
  tcpUri(path?: string): string;
  log(): Promise<string>;
  /** SIGTERM, then wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
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

/** The TLS port an extra config enables (`listen_tls = 1` with a `tls_port`), if any. */
function configuredTlsPort(conf: readonly string[]): number | undefined {
  const value = (key: string) =>
    conf
      .map((line) => new RegExp(`^\\s*${key}\\s*=\\s*"?([^"\\s]*)"?`).exec(line)?.[1])
      .filter((v) => v !== undefined)
      .at(-1);
  const port = Number(value('tls_port'));
  return value('listen_tls') === '1' && Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Spawn tsvirtd with these arguments (from the sources, or bin/tsvirtd after `pnpm build` with
 * `built`, or when TSVIRTD_BUILT=1); its output is collected.
 */
export function spawnTsvirtd(
  args: readonly string[],
  built = process.env.TSVIRTD_BUILT === '1',
  env?: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string } {
  const entry = built ? [`${REPO}bin/tsvirtd`] : ['--conditions=source', '--import', TSX, MAIN];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: REPO,
    env: env ? { ...process.env, ...env } : process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out };
}

/**
 * `env` is merged over this process's environment, e.g. a temp HOME and XDG_* directories so that
 * qemu:///session keeps its state there.
 */
export async function startTsvirtd(
  extraConf: string[] = [],
  built?: boolean,
  env?: NodeJS.ProcessEnv,
): Promise<Tsvirtd> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-tsvirtd-'));
  const port = await freePort();
  const conf = [
    `unix_sock_dir = "${dir}/run"`,
    'listen_tls = 0',
    'listen_tcp = 1',
    'listen_addr = "127.0.0.1"',
    `tcp_port = "${port}"`,
    'auth_tcp = "none"',
    `log_outputs = "1:file:${dir}/tsvirtd.log"`,
    ...extraConf,
    '',
  ].join('\n');
  await writeFile(join(dir, 'tsvirtd.conf'), conf);
  const pidFile = join(dir, 'tsvirtd.pid');
  const { child, output } = spawnTsvirtd(
    ['--listen', '--config', join(dir, 'tsvirtd.conf'), '--pid-file', pidFile],
    built,
    env,
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('failed to spawn tsvirtd');
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', onExit);
  const socket = join(dir, 'run', 'libvirt-sock');
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (): Promise<number | null> => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    }, 5000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  // The TLS listener opens after the TCP one: a suite that asked for it waits for it too.
  const tlsPort = configuredTlsPort(extraConf);
  const tlsReady = async () => tlsPort === undefined || canConnect({ host: '127.0.0.1', port: tlsPort });
  const deadline = Date.now() + 20_000;
  for (;;) {
    let failure: string | undefined;
    if (child.exitCode !== null) failure = `tsvirtd exited early: ${output()}`;
    else if (existsSync(socket) && (await canConnect({ host: '127.0.0.1', port })) && (await tlsReady())) break;
    else if (Date.now() > deadline) failure = `tsvirtd was not ready within 20 s: ${output()}`;
    if (failure !== undefined) {
      // The caller gets no handle to clean up with: the directory goes here.
      await stop();
      await rm(dir, { recursive: true, force: true });
      throw new Error(failure);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    port,
    socket,
    roSocket: `${socket}-ro`,
    pidFile,
    child,
    unixUri: (path = '/default') => `test+unix://${path}?socket=${socket}`,
    roUri: (path = '/default') => `test+unix://${path}?socket=${socket}-ro`,
    tcpUri: (path = '/default') => `test+tcp://127.0.0.1:${port}${path}`,
    log: () => readFile(join(dir, 'tsvirtd.log'), 'utf8').catch(() => ''),
    stop,
  };
}

export async function removeTsvirtdDir(d: Tsvirtd): Promise<void> {
  await rm(d.dir, { recursive: true, force: true });
}
