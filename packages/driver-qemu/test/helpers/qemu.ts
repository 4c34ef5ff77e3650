/**
 * Starts the real qemu-system-x86_64 of this machine, stopped (-S) under TCG with a QMP socket in
 * a temp dir, for tests. Spawned with an argument array and stopped by PID only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const QEMU_BINARY = '/usr/bin/qemu-system-x86_64';
export const HAVE_QEMU = existsSync(QEMU_BINARY);

export interface TestQemu {
  readonly dir: string;
  readonly socketPath: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGKILLs the process (if still alive), waits for it to exit and removes the temp dir. */
  stop(): Promise<void>;
}

export function startQemu(): TestQemu {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-qmp-'));
  const socketPath = join(dir, 'qmp.sock');
  const child = spawn(
    QEMU_BINARY,
    [
      '-machine',
      'none,accel=tcg',
      '-nographic',
      '-nodefaults',
      '-no-user-config',
      '-S',
      '-qmp',
      `unix:${socketPath},server=on,wait=off`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (child.pid === undefined) throw new Error('qemu-system-x86_64 did not start');
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    dir,
    socketPath,
    pid,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
