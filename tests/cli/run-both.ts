import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (tests/cli/ is two levels down). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${REPO}node_modules/tsx/dist/esm/index.mjs`;
/** TSVIRSH_MAIN: another tsvirsh entry point to compare (for example a checkout elsewhere). */
const MAIN = process.env.TSVIRSH_MAIN ?? `${REPO}packages/cli/src/main.ts`;

/** Node arguments that run a package's entry point from its sources (tsx, the `source` condition). */
export function fromSources(pkg: 'cli' | 'daemon', args: readonly string[]): string[] {
  return ['--conditions=source', '--import', TSX, `${REPO}packages/${pkg}/src/main.ts`, ...args];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

export const virshAvailable = (): boolean => {
  const r = spawnSync('virsh', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
};

function run(
  cmd: string,
  args: readonly string[],
  input: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status }));
    // A command that exits without reading stdin closes the pipe first (EPIPE): not a failure.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Any program with this process's environment: its output and exit status. */
export function runProgram(cmd: string, args: readonly string[]): Promise<RunResult> {
  return run(cmd, args, undefined, process.env);
}

/** An environment without a default URI, so only -c decides. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LIBVIRT_DEFAULT_URI;
  delete env.TSVIRT_DEFAULT_URI;
  delete env.VIRSH_DEFAULT_CONNECT_URI;
  env.LC_ALL = 'C';
  env.HOME = process.env.HOME ?? '/tmp';
  return env;
}

export function runVirsh(args: readonly string[], input?: string): Promise<RunResult> {
  return run('virsh', args, input, cleanEnv());
}

/**
 * tsvirsh from the sources (node --conditions=source --import tsx main.ts), or the built one
 * with TSVIRSH_BUILT=1 (bin/tsvirsh, after `pnpm build`).
 */
export function runTsvirsh(args: readonly string[], input?: string): Promise<RunResult> {
  if (process.env.TSVIRSH_BUILT === '1')
    return run(process.execPath, [`${REPO}bin/tsvirsh`, ...args], input, cleanEnv());
  return run(process.execPath, ['--conditions=source', '--import', TSX, MAIN, ...args], input, cleanEnv());
}
