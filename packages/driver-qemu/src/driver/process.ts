/**
 * Spawning QEMU and finding it again: the process runs detached (it outlives the driver, so a
 * restarted driver can reconnect), writes to the domain's log file, and is reached through
 * its QMP socket. Programs are always spawned with argument arrays, never through a shell.
 */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
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
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const child = spawn(spec.binary, spec.args, {
    env: { ...spec.env },
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  closeSync(logFd);
  child.on('error', (err) => {
    spawnError = err;
  });
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.unref();

  const deadline = Date.now() + spec.timeoutMs;
  for (;;) {
    if (spawnError) {
      throw qemuError(
        ErrorCode.SYSTEM_ERROR,
        `Cannot run QEMU binary ${spec.binary}: ${spawnError.message}`,
        spawnError,
      );
    }
    if (exited) {
      const tail = await logTail(spec.logFile, logStart);
      throw qemuError(
        ErrorCode.INTERNAL_ERROR,
        `QEMU unexpectedly closed the monitor (vm='${spec.monitorPath}'): ${tail}`,
      );
    }
    try {
      const monitor = await connect(spec.monitorPath, Math.max(deadline - Date.now(), 1));
      if (child.pid === undefined) throw new Error('no pid');
      return { pid: child.pid, monitor };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const notYet = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!notYet || Date.now() >= deadline) {
        if (child.pid !== undefined && !exited) process.kill(child.pid, 'SIGKILL');
        const tail = exited ? await logTail(spec.logFile, logStart) : '';
        throw qemuError(
          ErrorCode.INTERNAL_ERROR,
          `process exited while connecting to monitor${tail ? `: ${tail}` : ''}`,
          err,
        );
      }
    }
    await sleep(5);
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
