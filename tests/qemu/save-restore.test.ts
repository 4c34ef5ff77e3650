/**
 * Save, restore and managed save with a real guest: a shell variable set before the save is
 * still there after the restore (the guest's memory came back, it did not boot again); states,
 * reasons, events, the image header and libvirt's errors are checked along the way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Connection,
  connect,
  DomainEventDetail,
  DomainEventType,
  DomainState,
  ErrorCode,
  ListDomainsFlags,
  PausedReason,
  RunningReason,
  SaveRestoreFlags,
  ShutoffReason,
} from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleLog, GUEST_READY_LINE, guestXml, runOnConsole, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = typeof guest === 'string' ? guest : undefined;
if (skip) console.warn(`skipping the QEMU save/restore tests: ${skip}`);

/** Events reach listeners asynchronously: wait a little for one. */
async function sawEvent(events: string[], event: string): Promise<boolean> {
  for (let i = 0; i < 50 && !events.includes(event); i++) await new Promise((r) => setTimeout(r, 20));
  return events.includes(event);
}

describe.skipIf(skip !== undefined)('qemu driver save and restore with a real guest', () => {
  const g = guest as TestGuest;
  let root: string;
  let conn: Connection;
  const events: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-save-'));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    conn.on('domain-lifecycle', (e) => events.push(`${e.event}:${e.detail}`));
  });
  afterAll(async () => {
    for (const dom of await conn.listAllDomains()) {
      if (dom.getID() >= 0) await dom.destroy().catch(() => undefined);
    }
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('saves a running guest to a file and restores it where it was', async () => {
    const dom = await conn.defineDomainXml(guestXml(g, 'saved'));
    await dom.create();
    const c = await dom.openConsole();
    const log = new ConsoleLog(c.output);
    await log.waitFor(GUEST_READY_LINE, 0, 90_000);
    await c.close();
    await runOnConsole(dom, 'X=$((40+2)); echo set-$((X-1))', 'set-41');

    const image = join(root, 'saved.img');
    events.length = 0;
    await dom.save(image);
    expect(dom.getID()).toBe(-1);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.SAVED });
    expect(await sawEvent(events, `${DomainEventType.STOPPED}:${DomainEventDetail.STOPPED.SAVED}`)).toBe(true);
    // libvirt's layout: magic, version 2, the XML after the 92-byte header.
    const head = readFileSync(image).subarray(0, 200);
    expect(head.toString('latin1', 0, 16)).toBe('LibvirtQemudSave');
    expect(head.readUInt32LE(16)).toBe(2);
    expect(head.readUInt32LE(24)).toBe(1);
    expect(head.toString('utf8', 92, 112)).toBe("<domain type='qemu'>");

    events.length = 0;
    const back = await conn.restoreDomain(image);
    expect(back.getName()).toBe('saved');
    expect(back.getID()).toBeGreaterThan(0);
    expect(await back.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.RESTORED });
    expect(await sawEvent(events, `${DomainEventType.STARTED}:${DomainEventDetail.STARTED.RESTORED}`)).toBe(true);
    // The shell kept its variable: the guest's memory came back.
    await runOnConsole(back, 'echo got-$X-$((X+1))', 'got-42-43');

    await expectVirError(conn.restoreDomain(image), ErrorCode.OPERATION_INVALID, "domain 'saved' is already active");
    // Saved paused (--paused), it comes back paused, as libvirt reports it.
    await back.save(image, SaveRestoreFlags.PAUSED);
    const paused = await conn.restoreDomain(image);
    expect(await paused.getState()).toEqual({ state: DomainState.PAUSED, reason: PausedReason.MIGRATION });
    await paused.resume();
    await runOnConsole(paused, 'echo again-$X', 'again-42');
  }, 240_000);

  it('refuses bad images and targets with libvirt errors', async () => {
    const dom = await conn.lookupDomainByName('saved');
    await expectVirError(
      dom.save('/nonexistent-dir/x.img'),
      ErrorCode.SYSTEM_ERROR,
      "Failed to create file '/nonexistent-dir/x.img': No such file or directory",
    );
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
    await expectVirError(
      conn.restoreDomain('/nonexistent-dir/x.img'),
      ErrorCode.SYSTEM_ERROR,
      "Failed to open file '/nonexistent-dir/x.img': No such file or directory",
    );
    const short = join(root, 'short');
    writeFileSync(short, 'tiny');
    await expectVirError(conn.restoreDomain(short), ErrorCode.OPERATION_FAILED, 'failed to read qemu header');
    const zeros = join(root, 'zeros');
    writeFileSync(zeros, Buffer.alloc(200));
    await expectVirError(conn.restoreDomain(zeros), ErrorCode.OPERATION_FAILED, 'image magic is incorrect');
    const partial = join(root, 'partial');
    writeFileSync(partial, Buffer.concat([Buffer.from('LibvirtQemudPart'), Buffer.alloc(184)]));
    await expectVirError(conn.restoreDomain(partial), ErrorCode.OPERATION_FAILED, 'save image is incomplete');
  });

  it('managed save: the next start resumes from it, force-boot drops it', async () => {
    const dom = await conn.lookupDomainByName('saved');
    await dom.managedSave();
    expect(await dom.hasManagedSaveImage()).toBe(true);
    expect((await conn.listAllDomains(ListDomainsFlags.MANAGEDSAVE)).map((d) => d.getName())).toEqual(['saved']);
    expect(await conn.listAllDomains(ListDomainsFlags.NO_MANAGEDSAVE)).toEqual([]);

    // A driver opened afresh finds the image on disk.
    await conn.close();
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    const again = await conn.lookupDomainByName('saved');
    expect(await again.hasManagedSaveImage()).toBe(true);

    await again.create();
    expect(await again.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.RESTORED });
    expect(await again.hasManagedSaveImage()).toBe(false);
    await runOnConsole(again, 'echo managed-$X', 'managed-42');

    await again.managedSave();
    await again.create(8); // VIR_DOMAIN_START_FORCE_BOOT
    expect(await again.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.BOOTED });
    expect(await again.hasManagedSaveImage()).toBe(false);

    await again.managedSave();
    await again.managedSaveRemove();
    expect(await again.hasManagedSaveImage()).toBe(false);
    await again.create();
    expect((await again.getState()).reason).toBe(RunningReason.BOOTED);
    await again.destroy();
  }, 240_000);

  it('refuses managed save of a transient guest', async () => {
    const dom = await conn.createDomainXml(guestXml(g, 'transient'), 1);
    await expectVirError(dom.managedSave(), ErrorCode.OPERATION_INVALID, 'cannot do managed save for transient domain');
    await dom.destroy();
    const off = await conn.lookupDomainByName('saved');
    await expectVirError(off.managedSave(), ErrorCode.OPERATION_INVALID, 'domain is not running');
  }, 120_000);
});
