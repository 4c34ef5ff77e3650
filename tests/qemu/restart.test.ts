/**
 * Surviving restarts: a guest started by one process keeps running after that process ends;
 * the next process to open the same root reconnects to it through its monitor and loses
 * nothing. A guest whose QEMU died meanwhile is found shut off (crashed) and cleaned up.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, DomainState, ErrorCode, PausedReason, ShutoffReason } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver, QmpMonitor } from '@tsvirt/driver-qemu';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleLog, destroyAll, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = typeof guest === 'string' ? guest : undefined;
const starter = fileURLToPath(new URL('./start-guest.mts', import.meta.url));
const holdRoot = fileURLToPath(new URL('./hold-root.mts', import.meta.url));

/** Start the guest from another Node process, which then exits. */
function startInOtherProcess(root: string, xml: string): number {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', starter, root], {
    input: xml,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`starter failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

async function untilPrompt(console_: { write(d: Uint8Array): Promise<void> }, log: ConsoleLog): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const from = log.text.length;
    await console_.write(Buffer.from('\n'));
    try {
      await log.waitFor('# ', from, 2_000);
      return;
    } catch {
      // not yet
    }
  }
  throw new Error(`the guest shell never answered; saw: ${log.text.slice(-300)}`);
}

/** Gone, or a zombie nobody reaps (this sandbox's PID 1 does not reap orphans). */
function processGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
}

function statusPid(root: string, name: string): number {
  const text = readFileSync(join(root, 'run', 'qemu', `${name}.xml`), 'utf8');
  return Number(/pid='(\d+)'/.exec(text)?.[1]);
}

describe.skipIf(skip !== undefined)('qemu driver restart', () => {
  const g = guest as TestGuest;
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-restart-'));
  });
  afterEach(async () => {
    if (existsSync(join(root, 'run', 'qemu', 'keep.xml'))) {
      const pid = statusPid(root, 'keep');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('reconnects to a guest started by a process that has exited, and loses nothing', async () => {
    const id = startInOtherProcess(root, guestXml(g, 'keep'));
    const pid = statusPid(root, 'keep');
    const conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    try {
      const dom = await conn.lookupDomainByName('keep');
      expect(dom.getID()).toBe(id);
      expect((await dom.getState()).state).toBe(DomainState.RUNNING);
      expect(statusPid(root, 'keep')).toBe(pid);
      // The monitor works again: pause and resume, and the console still reaches the guest.
      await dom.suspend();
      expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: PausedReason.USER });
      await dom.resume();
      const console_ = await dom.openConsole();
      const log = new ConsoleLog(console_.output);
      // The guest may still be booting: ask for a prompt until its shell answers.
      await untilPrompt(console_, log);
      await console_.write(Buffer.from('echo still-$((40+2))\n'));
      await log.waitFor('still-42');
      await console_.close();
      expect(await conn.listAllDomains(1)).toHaveLength(1);
      await dom.destroy();
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.DESTROYED });
    } finally {
      await destroyAll(conn);
      await conn.close();
    }
  }, 180_000);

  it('finishes the shutdown of a guest that powered off while no process watched', async () => {
    startInOtherProcess(root, guestXml(g, 'keep'));
    const pid = statusPid(root, 'keep');
    // Press the power button through QEMU's own monitor, with no driver attached, and wait until
    // the guest has powered off (QEMU stays, stopped, as -no-shutdown asks).
    const monitorPath =
      /<monitor path='([^']+)'/.exec(readFileSync(join(root, 'run', 'qemu', 'keep.xml'), 'utf8'))?.[1] ?? '';
    const qmp = await QmpMonitor.connect(monitorPath);
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        await qmp.execute('system_powerdown');
        const st = (await qmp.execute('query-status')) as { status: string };
        if (st.status === 'shutdown') break;
        if (Date.now() > deadline) throw new Error('the guest never powered off');
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      qmp.close();
    }
    const conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    try {
      const dom = await conn.lookupDomainByName('keep');
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.SHUTDOWN });
      expect(processGone(pid)).toBe(true);
      expect(existsSync(join(root, 'run', 'qemu', 'keep.xml'))).toBe(false);
    } finally {
      await destroyAll(conn);
      await conn.close();
    }
  }, 180_000);

  it('refuses a second process on a root another live process drives, and takes over after it', async () => {
    const holder = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', holdRoot, root], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    await expectVirError(
      connect(`qemu:///embed?root=${root}`, { drivers: [driver] }),
      ErrorCode.SYSTEM_ERROR,
      new RegExp(
        `^Failed to acquire pid file '.*/run/qemu/driver.pid': Resource temporarily unavailable \\(held by process ${holder.pid}\\)$`,
      ),
    );
    holder.stdin.end();
    await new Promise((resolve) => holder.once('exit', resolve));
    const conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    await conn.close();
  }, 120_000);

  it('marks a guest whose QEMU died meanwhile as shut off (crashed) and cleans up', async () => {
    startInOtherProcess(root, guestXml(g, 'keep'));
    const pid = statusPid(root, 'keep');
    process.kill(pid, 'SIGKILL');
    while (!processGone(pid)) await new Promise((r) => setTimeout(r, 20));
    const conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    try {
      const dom = await conn.lookupDomainByName('keep');
      expect(dom.getID()).toBe(-1);
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.CRASHED });
      expect(existsSync(join(root, 'run', 'qemu', 'keep.xml'))).toBe(false);
      expect(readdirSync(join(root, 'lib', 'qemu'))).toEqual([]);
    } finally {
      await destroyAll(conn);
      await conn.close();
    }
  }, 180_000);
});
