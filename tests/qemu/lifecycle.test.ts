/**
 * The QEMU driver for real: a Debian kernel + busybox guest under TCG, through @tsvirt/core's
 * API on qemu:///embed in a temp root. Checks the console, pause/resume, ACPI reboot and
 * shutdown seen by the guest, destroy, events, stats and the monitor passthrough.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Connection,
  connect,
  DomainConsoleFlags,
  DomainEventType,
  DomainState,
  DomainXmlFlags,
  ErrorCode,
  PausedReason,
  RunningReason,
  ShutoffReason,
} from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleLog, destroyAll, GUEST_READY_LINE, guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = typeof guest === 'string' ? guest : undefined;
if (skip) console.warn(`skipping the real-guest QEMU tests: ${skip}`);

describe.skipIf(skip !== undefined)('qemu driver life cycle with a real guest', () => {
  const g = guest as TestGuest;
  let root: string;
  let conn: Connection;
  const events: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-life-'));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    conn.on('domain-lifecycle', (e) => events.push(`${e.domain.getName()}:${e.event}:${e.detail}`));
  });
  afterAll(async () => {
    await destroyAll(conn);
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('boots, shows its console, pauses and resumes', async () => {
    const channel = `<channel type='pty'><target type='virtio' name='org.tsvirt.test'/></channel>`;
    const dom = await conn.defineDomainXml(guestXml(g, 'life', channel));
    await dom.create();
    expect(dom.getID()).toBeGreaterThan(0);
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.BOOTED });

    // Every pty device shows the pty QEMU opened; the first console repeats it as tty=.
    const live = await dom.getXmlDesc();
    const serialPty = /<serial type='pty'>\s*<source path='(\/dev\/pts\/\d+)'\/>/.exec(live)?.[1];
    const channelPty = /<channel type='pty'>\s*<source path='(\/dev\/pts\/\d+)'\/>/.exec(live)?.[1];
    expect(serialPty).toBeDefined();
    expect(channelPty).toBeDefined();
    expect(channelPty).not.toBe(serialPty);
    expect(live).toContain(`<console type='pty' tty='${serialPty}'>\n      <source path='${serialPty}'/>`);
    expect(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)).not.toContain('/dev/pts/');
    // Channels are not consoles; a serial-type console answers to console0 as in libvirt.
    await expectVirError(
      dom.openConsole('channel0'),
      ErrorCode.INTERNAL_ERROR,
      'internal error: cannot find character device channel0',
    );
    await (await dom.openConsole('console0')).close();
    const first = await dom.openConsole();
    const firstLog = new ConsoleLog(first.output);
    await firstLog.waitFor(GUEST_READY_LINE);
    // One session holds a console, as in libvirt: another is refused unless it forces the holder out.
    await expectVirError(
      dom.openConsole('console0'),
      ErrorCode.OPERATION_FAILED,
      'operation failed: Active console session exists for this domain',
    );
    const console_ = await dom.openConsole(undefined, DomainConsoleFlags.FORCE);
    await expect(firstLog.waitFor('never printed', 0, 10_000)).rejects.toThrow(/console closed/);
    const log = new ConsoleLog(console_.output);
    await console_.write(Buffer.from('echo sum-$((6*7))\n'));
    const at = await log.waitFor('sum-42');

    await dom.suspend();
    expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: PausedReason.USER });
    await dom.resume();
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
    const info = await dom.getInfo();
    expect(info.cpuTime).toBeGreaterThan(0n);
    expect(info.maxMem).toBe(131072);

    const status = JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-status"}'));
    expect(status.return).toMatchObject({ running: true, status: 'running' });

    // ACPI reboot: the guest powers off, the driver resets it, the guest boots again.
    await dom.reboot();
    await log.waitFor(GUEST_READY_LINE, at, 90_000);
    await console_.close();
  }, 180_000);

  it('shuts down through the ACPI power button the guest handles', async () => {
    const dom = await conn.lookupDomainByName('life');
    await dom.shutdown();
    const deadline = Date.now() + 60_000;
    while ((await dom.getState()).state !== DomainState.SHUTOFF && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.SHUTDOWN });
    expect(events).toContain(`life:${DomainEventType.SHUTDOWN}:1`);
    expect(events).toContain(`life:${DomainEventType.STOPPED}:0`);
    // Nothing of the run is left: no status file, no private directory.
    expect(readdirSync(join(root, 'run', 'qemu')).filter((f) => f.endsWith('.xml'))).toEqual([]);
    expect(readdirSync(join(root, 'lib', 'qemu'))).toEqual([]);
  }, 180_000);

  it('starts paused, destroys, and undefines', async () => {
    const dom = await conn.lookupDomainByName('life');
    await dom.create(1);
    expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: PausedReason.USER });
    await dom.destroy();
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.DESTROYED });
    await expectVirError(dom.destroy(), ErrorCode.OPERATION_INVALID, 'domain is not running');
    await dom.undefine();
    expect(existsSync(join(root, 'etc', 'qemu', 'life.xml'))).toBe(false);
    await expectVirError(conn.lookupDomainByName('life'), ErrorCode.NO_DOMAIN, "no domain with matching name 'life'");
  }, 180_000);
});
