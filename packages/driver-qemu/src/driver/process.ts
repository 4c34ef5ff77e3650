/**
 * Spawning QEMU and finding it again: the process runs detached (it outlives the driver, so a
 * restarted driver can reconnect), writes to the domain's log file, and is reached through
 * its QMP socket. Programs are always spawned with argument arrays, never through a shell.
 */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '@tsvirt/core';
import { qemuError } from './errors.js';
import type { MonitorConnector, QemuMonitor } from './monitor.js';

export interface LaunchSpec {
  readonly binary: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly monitorPath: string;
  /** How long QEMU may take to open its monitor. */
  readonly timeoutMs: number;
}

export interface Launched {
  readonly pid: number;
  readonly monitor: QemuMonitor;
}

function logHeader(spec: LaunchSpec): string {
  const stamp = new Date().toISOString().replace('T', ' ').replace('Z', '+0000');
  const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  return `${stamp}: starting up\n${[...env, spec.binary, ...spec.args].join(' \\\n')}\n`;
}

/** The last lines QEMU wrote, which usually say why it failed. */
async function logTail(logFile: string, from: number): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.slice(from).trim().split('\n').slice(-5).join('\n');
}

export async function launchQemu(spec: LaunchSpec, connect: MonitorConnector): Promise<Launched> {
  const logFd = openSync(spec.logFile, 'a', 0o600);
  writeSync(logFd, logHeader(spec));
  // What QEMU writes after this offset explains a failed start.
  const logStart = fstatSync(logFd).size;
  const child = spawn(spec.binary, spec.args, {
    env: { ...spec.env },
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  closeSync(logFd);
  child.unref();
  // QEMU failing to start shows up as the process ending before its monitor answers.
  const ended = new Promise<never>((_, reject) => {
    child.once('error', (err) => {
      reject(qemuError(ErrorCode.SYSTEM_ERROR, `Cannot run QEMU binary ${spec.binary}: ${err.message}`, err));
    });
    child.once('exit', () => {
      void logTail(spec.logFile, logStart).then((tail) => {
        reject(qemuError(ErrorCode.INTERNAL_ERROR, `qemu unexpectedly closed the monitor: ${tail}`));
      });
    });
  });
  // Later exits (long after a good start) must not surface as unhandled rejections.
  ended.catch(() => undefined);
  const connecting = connect(spec.monitorPath, spec.timeoutMs);
  try {
    const monitor = await Promise.race([connecting, ended]);
    if (child.pid === undefined) throw qemuError(ErrorCode.INTERNAL_ERROR, 'QEMU has no process id');
    return { pid: child.pid, monitor };
  } catch (err) {
    connecting.then((m) => m.close()).catch(() => undefined);
    // A monitor that closed at once usually means QEMU is exiting: its own words say why.
    const exitReason = await Promise.race([
      ended.then(
        () => undefined,
        (e: unknown) => e,
      ),
      sleep(2000),
    ]);
    if (exitReason) throw exitReason;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      await killProcess(child.pid, { escalate: true, immediate: true }).catch(() => undefined);
    }
    throw err;
  }
}

/** Is `pid` a live process? A zombie nobody has reaped yet counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The command line of a running process, to make sure a pid still belongs to our QEMU. */
export async function processCommandLine(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((s) => s !== '');
  } catch {
    return undefined;
  }
}

/**
 * libvirt's escalation: SIGTERM, up to 10 s for QEMU to exit cleanly, then SIGKILL (unless
 * `escalate` is off: a graceful destroy). `immediate` goes straight to SIGKILL.
 * Resolves once the process is gone.
 */
export async function killProcess(pid: number, how: { escalate: boolean; immediate?: boolean }): Promise<void> {
  const signalAndWait = async (signal: NodeJS.Signals, ms: number): Promise<boolean> => {
    try {
      process.kill(pid, signal);
    } catch {
      return true;
    }
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (!processAlive(pid)) return true;
      await sleep(10);
    }
    return !processAlive(pid);
  };
  if (!how.immediate && (await signalAndWait('SIGTERM', 10_000))) return;
  if (!how.escalate) {
    throw qemuError(ErrorCode.OPERATION_FAILED, `Failed to terminate process ${pid} with SIGTERM`);
  }
  if (await signalAndWait('SIGKILL', 5_000)) return;
  throw qemuError(ErrorCode.SYSTEM_ERROR, `Failed to terminate process ${pid} with SIGKILL`);
}
