/**
 * Probing a real binary: start it as libvirt does for probing (stopped, no devices, no user
 * config, `-machine none`), talk QMP over a socket in a private directory, and stop it by PID.
 * When KVM answers, a second process with accel=tcg gives the TCG facts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { QmpMonitor } from '../qmp/monitor.js';
import { probeQemuCaps, type QemuProbeOptions } from './probe.js';
import type { QemuCaps } from './qemu-caps.js';

export interface ProbeBinaryOptions extends Omit<QemuProbeOptions, 'emulator'> {
  /** Where the probe's sockets go (a private temp dir inside it); the OS temp dir by default. */
  readonly workDir?: string;
  /** Accelerators to offer the first process; libvirt offers 'kvm:tcg'. */
  readonly accel?: string;
  /** Per-command timeout for the probe's QMP commands. */
  readonly commandTimeoutMs?: number;
  /** Extra environment for QEMU (e.g. QEMU_MODULE_DIR for a binary outside its install dir). */
  readonly env?: Readonly<Record<string, string>>;
}

interface ProbeProcess {
  readonly monitor: QmpMonitor;
  stop(): Promise<void>;
}

async function startProbeProcess(
  binary: string,
  dir: string,
  name: string,
  accel: string,
  options: ProbeBinaryOptions,
): Promise<ProbeProcess> {
  const socketPath = join(dir, `${name}.sock`);
  const child = spawn(
    binary,
    [
      '-S',
      '-no-user-config',
      '-nodefaults',
      '-nographic',
      '-machine',
      `none,accel=${accel}`,
      '-qmp',
      `unix:${socketPath},server=on,wait=off`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...options.env },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString();
  });
  // 'close' comes after the exit and after stderr is drained, so the message is complete.
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const stop = async (): Promise<void> => {
    killByPid(child);
    await exited;
  };
  const failed = (): VirError =>
    new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.QEMU,
      detail: `Failed to probe capabilities for ${binary}: ${stderr.trim() || 'QEMU exited before its monitor came up'}`,
    });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  try {
    const monitor = await Promise.race([
      QmpMonitor.connect(socketPath, { commandTimeoutMs: options.commandTimeoutMs ?? 30_000 }),
      exited.then(() => {
        throw failed();
      }),
    ]);
    return {
      monitor,
      async stop() {
        monitor.close();
        await stop();
      },
    };
  } catch (err) {
    // A QEMU that dies during start-up may close the socket before its exit is seen: give the
    // exit a moment, so the error says what QEMU printed rather than "end of file".
    if (!gone) await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    const diedOnItsOwn = gone;
    await stop();
    throw diedOnItsOwn ? failed() : err;
  }
}

function killByPid(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts `binary` (once, or twice with KVM), probes it over QMP and returns its capabilities. */
export async function probeQemuBinary(binary: string, options: ProbeBinaryOptions = {}): Promise<QemuCaps> {
  const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'tsvirt-qemu-probe-'));
  const processes: ProbeProcess[] = [];
  try {
    const main = await startProbeProcess(binary, dir, 'main', options.accel ?? 'kvm:tcg', options);
    processes.push(main);
    return await probeQemuCaps(
      {
        main: main.monitor,
        tcg: async () => {
          const tcg = await startProbeProcess(binary, dir, 'tcg', 'tcg', options);
          processes.push(tcg);
          return tcg.monitor;
        },
      },
      {
        emulator: binary,
        ...(options.qemuCtime !== undefined ? { qemuCtime: options.qemuCtime } : {}),
        ...(options.selfCtime !== undefined ? { selfCtime: options.selfCtime } : {}),
        ...(options.selfVers !== undefined ? { selfVers: options.selfVers } : {}),
        ...(options.microcodeVersion !== undefined ? { microcodeVersion: options.microcodeVersion } : {}),
      },
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}
