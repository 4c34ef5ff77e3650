/**
 * on_reboot, on_poweroff and on_crash with a real guest: a guest reboot with on_reboot='destroy'
 * shuts it off, on_poweroff='preserve' keeps QEMU in shutdown, and a kernel panic reported by
 * pvpanic (<panic model='isa'/>) is handled as on_crash says, with libvirt's states and events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Connection,
  CrashedReason,
  connect,
  type Domain,
  DomainEventDetail,
  DomainEventType,
  DomainState,
  RunningReason,
  ShutdownReason,
  ShutoffReason,
} from '@tsvirt/core';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleLog, GUEST_READY_LINE, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = typeof guest === 'string' ? guest : undefined;
if (skip) console.warn(`skipping the QEMU lifecycle-action tests: ${skip}`);

describe.skipIf(skip !== undefined)('qemu driver lifecycle actions with a real guest', () => {
  const g = guest as TestGuest;
  let root: string;
  let conn: Connection;
  const events: string[] = [];

  /** Boot a guest with these actions and give its shell a command once it is up. */
  async function bootAndRun(name: string, actions: string, command: string): Promise<{ dom: Domain; log: ConsoleLog }> {
    const xml = guestXml(g, name, "\n    <panic model='isa'/>").replace('<devices>', `${actions}\n  <devices>`);
    // Defined, so a stopped guest can still be asked for its state.
    const dom = await conn.defineDomainXml(xml);
    await dom.create();
    const c = await dom.openConsole();
    const log = new ConsoleLog(c.output);
    await log.waitFor(GUEST_READY_LINE, 0, 90_000);
    await c.write(Buffer.from(`${command}\n`));
    return { dom, log };
  }

  async function untilState(dom: Domain, state: DomainState): Promise<{ state: number; reason: number }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const st = await dom.getState().catch(() => ({ state: DomainState.SHUTOFF, reason: -1 }));
      if (st.state === state || Date.now() > deadline) return st;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-actions-'));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    conn.on('domain-lifecycle', (e) => events.push(`${e.domain.getName()}:${e.event}:${e.detail}`));
  });
  afterAll(async () => {
    for (const dom of await conn.listAllDomains()) {
      if (dom.getID() >= 0) await dom.destroy().catch(() => undefined);
    }
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("on_reboot='destroy': a guest reboot shuts it off", async () => {
    const { dom } = await bootAndRun('rebootoff', '<on_reboot>destroy</on_reboot>', 'reboot -f');
    expect(await untilState(dom, DomainState.SHUTOFF)).toEqual({
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.SHUTDOWN,
    });
    expect(events).toContain(`rebootoff:${DomainEventType.STOPPED}:${DomainEventDetail.STOPPED.SHUTDOWN}`);
  }, 120_000);

  it("on_poweroff='preserve': QEMU stays with the guest in shutdown", async () => {
    const { dom } = await bootAndRun('keep', '<on_poweroff>preserve</on_poweroff>', 'poweroff -f');
    expect(await untilState(dom, DomainState.SHUTDOWN)).toEqual({
      state: DomainState.SHUTDOWN,
      reason: ShutdownReason.USER,
    });
    expect(await dom.isActive()).toBe(true);
    await dom.destroy();
    expect((await dom.getState()).reason).toBe(ShutoffReason.DESTROYED);
  }, 120_000);

  it("on_crash='destroy': a panic shuts the guest off as crashed", async () => {
    const { dom } = await bootAndRun('panicoff', '<on_crash>destroy</on_crash>', 'echo c > /proc/sysrq-trigger');
    expect(await untilState(dom, DomainState.SHUTOFF)).toEqual({
      state: DomainState.SHUTOFF,
      reason: ShutoffReason.CRASHED,
    });
    expect(events).toContain(`panicoff:${DomainEventType.CRASHED}:${DomainEventDetail.CRASHED.PANICKED}`);
    expect(events).toContain(`panicoff:${DomainEventType.STOPPED}:${DomainEventDetail.STOPPED.CRASHED}`);
  }, 120_000);

  it("on_crash='preserve' keeps the crashed guest; 'restart' boots it again", async () => {
    const kept = await bootAndRun('panickeep', '<on_crash>preserve</on_crash>', 'echo c > /proc/sysrq-trigger');
    expect(await untilState(kept.dom, DomainState.CRASHED)).toEqual({
      state: DomainState.CRASHED,
      reason: CrashedReason.PANICKED,
    });
    await kept.dom.destroy();

    const again = await bootAndRun('panicboot', '<on_crash>restart</on_crash>', 'echo c > /proc/sysrq-trigger');
    const at = await again.log.waitFor('sysrq', 0);
    await again.log.waitFor(GUEST_READY_LINE, at, 90_000);
    expect(await again.dom.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.CRASHED });
    expect(events).toContain(`panicboot:${DomainEventType.CRASHED}:${DomainEventDetail.CRASHED.PANICKED}`);
    await again.dom.destroy();
  }, 180_000);
});
