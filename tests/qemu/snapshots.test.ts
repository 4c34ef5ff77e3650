/**
 * Internal snapshots of a real guest's qcow2 disk (made by qemu-img in a temp dir): taken while
 * shut off (qemu-img snapshot) and while running (savevm), reverted (loadvm, or the disk alone)
 * and deleted; what the guest sees in memory and on its disk shows the revert really happened.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Connection,
  connect,
  DomainState,
  ErrorCode,
  ListDomainsFlags,
  parseDomainSnapshotXml,
  RunningReason,
  ShutoffReason,
  UndefineFlags,
} from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleLog, GUEST_READY_LINE, guestXml, runOnConsole, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const qemuImg = spawnSync('qemu-img', ['--version']).status === 0;
const skip = typeof guest === 'string' ? guest : !qemuImg ? 'qemu-img is not installed (qemu-utils)' : undefined;
if (skip) console.warn(`skipping the QEMU snapshot tests: ${skip}`);

function diskXml(path: string, format: string): string {
  return `
    <disk type='file' device='disk'>
      <driver name='qemu' type='${format}'/>
      <source file='${path}'/>
      <target dev='vda' bus='virtio'/>
    </disk>`;
}

/** The internal snapshots qemu-img finds in an image (-U: QEMU may hold it open). */
function imageSnapshots(path: string): string[] {
  const r = spawnSync('qemu-img', ['snapshot', '-l', '-U', path], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/)[1] ?? '')
    .filter(Boolean);
}

describe.skipIf(skip !== undefined)('qemu driver internal snapshots with a real guest', () => {
  const g = guest as TestGuest;
  let root: string;
  let disk: string;
  let conn: Connection;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-snap-'));
    disk = join(root, 'disk.qcow2');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']).status).toBe(0);
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
  });
  afterAll(async () => {
    for (const dom of await conn.listAllDomains()) {
      if (dom.getID() >= 0) await dom.destroy().catch(() => undefined);
    }
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('takes, reverts and deletes snapshots of an inactive and a running guest', async () => {
    const dom = await conn.defineDomainXml(guestXml(g, 'snap', diskXml(disk, 'qcow2')));
    const off = await dom.createSnapshotXml('<domainsnapshot><name>off1</name></domainsnapshot>');
    expect(off.getName()).toBe('off1');
    expect(imageSnapshots(disk)).toEqual(['off1']);
    const offDef = parseDomainSnapshotXml(await off.getXmlDesc(), { redefine: true });
    expect(offDef.state).toBe('shutoff');
    expect(offDef.memory?.snapshot).toBe('no');

    await dom.create();
    const c = await dom.openConsole();
    await new ConsoleLog(c.output).waitFor(GUEST_READY_LINE, 0, 90_000);
    await c.close();
    // Memory (a shell variable) and disk (the first bytes of vda) before the running snapshot.
    await runOnConsole(dom, 'X=7; printf AAAA > /dev/vda; sync; echo before-$((X*2))', 'before-14');
    const s1 = await dom.createSnapshotXml(
      '<domainsnapshot><name>s1</name><description>running</description></domainsnapshot>',
    );
    expect(imageSnapshots(disk)).toEqual(['off1', 's1']);
    const s1Def = parseDomainSnapshotXml(await s1.getXmlDesc(), { redefine: true });
    expect(s1Def).toMatchObject({ name: 's1', state: 'running', parent: 'off1', description: 'running' });
    expect(s1Def.memory?.snapshot).toBe('internal');
    expect((await dom.snapshotCurrent()).getName()).toBe('s1');
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
    await expectVirError(
      dom.createSnapshotXml('<domainsnapshot><name>s1</name></domainsnapshot>'),
      ErrorCode.OPERATION_FAILED,
      'domain moment s1 already exists',
    );

    await runOnConsole(dom, 'X=8; printf BBBB > /dev/vda; sync; echo after-$((X*2))', 'after-16');
    await s1.revert();
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.FROM_SNAPSHOT });
    await runOnConsole(dom, 'echo back-$X-$(head -c 4 /dev/vda)-x', 'back-7-AAAA-x');

    // Reverting to the shut-off snapshot stops the guest and puts the disk back as it was.
    await off.revert();
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: ShutoffReason.FROM_SNAPSHOT });
    expect((await dom.snapshotCurrent()).getName()).toBe('off1');
    // Back to the running one from a shut-off guest: QEMU starts with -loadvm.
    await s1.revert();
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: RunningReason.FROM_SNAPSHOT });
    await runOnConsole(dom, 'echo again-$X-$(head -c 4 /dev/vda)-x', 'again-7-AAAA-x');
    await dom.destroy();
    await off.revert();
    await dom.create();
    const c2 = await dom.openConsole();
    await new ConsoleLog(c2.output).waitFor(GUEST_READY_LINE, 0, 90_000);
    await c2.close();
    await runOnConsole(dom, "echo fresh-$(head -c 4 /dev/vda | tr '\\000' z)-x", 'fresh-zzzz-x');

    // Deleting the parent moves its child up; deleting the current one leaves none.
    await off.delete();
    expect(imageSnapshots(disk)).toEqual(['s1']);
    const s1Again = await dom.snapshotLookupByName('s1');
    expect(parseDomainSnapshotXml(await s1Again.getXmlDesc(), { redefine: true }).parent).toBeUndefined();
    await s1Again.delete();
    expect(imageSnapshots(disk)).toEqual([]);
    expect(await dom.listAllSnapshots()).toEqual([]);
    await expectVirError(
      dom.snapshotLookupByName('s1'),
      ErrorCode.NO_DOMAIN_SNAPSHOT,
      "no domain snapshot with matching name 's1'",
    );
    await expectVirError(
      dom.snapshotCurrent(),
      ErrorCode.NO_DOMAIN_SNAPSHOT,
      'the domain does not have a current snapshot',
    );
    await dom.destroy();
  }, 300_000);

  it('refuses internal snapshots of a raw disk', async () => {
    const raw = join(root, 'disk.raw');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'raw', raw, '16M']).status).toBe(0);
    const dom = await conn.defineDomainXml(guestXml(g, 'rawsnap', diskXml(raw, 'raw')));
    await expectVirError(
      dom.createSnapshotXml('<domainsnapshot><name>x</name></domainsnapshot>'),
      ErrorCode.CONFIG_UNSUPPORTED,
      'internal snapshot for disk vda unsupported for storage type raw',
    );
    expect(await dom.listAllSnapshots()).toEqual([]);
  });

  it('keeps a guest with snapshots from being undefined unless their metadata goes too', async () => {
    const dom = await conn.lookupDomainByName('snap');
    await dom.createSnapshotXml('<domainsnapshot><name>keep</name></domainsnapshot>');
    expect((await conn.listAllDomains(ListDomainsFlags.HAS_SNAPSHOT)).map((d) => d.getName())).toEqual(['snap']);
    await expectVirError(dom.undefine(), ErrorCode.OPERATION_INVALID, 'cannot delete inactive domain with 1 snapshots');
    await dom.undefine(UndefineFlags.SNAPSHOTS_METADATA);
    // The data stays in the image, as in libvirt.
    expect(imageSnapshots(disk)).toEqual(['keep']);
  });
});
