/**
 * Bad input to the qemu driver: each case gets libvirt's error (the wording libvirtd 9.0 gives
 * for the same XML on qemu:///session here) and leaves no process, socket or file behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyAll, QEMU_BINARY } from './guest.js';

const skip = existsSync(QEMU_BINARY) ? undefined : `${QEMU_BINARY} is not installed`;

const xml = (name: string, devices: string, type = 'qemu') => `<domain type='${type}'>
  <name>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>${devices}</devices>
</domain>`;

/** Every file under a directory, as relative paths (the driver's own pid file aside). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f !== 'driver.pid')
    .sort();
}

describe.skipIf(skip !== undefined)('qemu driver: bad input', () => {
  let root: string;
  let conn: Connection;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-bad-'));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
  });
  afterAll(async () => {
    await destroyAll(conn);
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });

  const runState = () => [...filesUnder(join(root, 'run')), ...filesUnder(join(root, 'lib'))];

  it('refuses a missing emulator at define', async () => {
    await expectVirError(
      conn.defineDomainXml(xml('bad1', '<emulator>/usr/bin/qemu-nonexistent</emulator>')),
      ErrorCode.SYSTEM_ERROR,
      'Cannot check QEMU binary /usr/bin/qemu-nonexistent: No such file or directory',
    );
    expect(await conn.listAllDomains()).toEqual([]);
    expect(filesUnder(join(root, 'etc'))).toEqual(['qemu']);
  });

  it('refuses to start a guest whose disk image is missing, and leaves nothing running', async () => {
    const disk =
      "<disk type='file' device='disk'><source file='/nonexistent/disk.qcow2'/><target dev='vda' bus='virtio'/></disk>";
    const dom = await conn.defineDomainXml(xml('bad2', disk));
    const before = runState();
    await expectVirError(
      dom.create(),
      ErrorCode.SYSTEM_ERROR,
      "Cannot access storage file '/nonexistent/disk.qcow2': No such file or directory",
    );
    expect(dom.getID()).toBe(-1);
    expect(runState()).toEqual(before);
    await dom.undefine();
  });

  it('refuses invalid XML and unknown device models without defining anything', async () => {
    await expectVirError(conn.defineDomainXml('<domain type="qemu"><name>x</name'), ErrorCode.XML_DETAIL);
    await expectVirError(
      conn.defineDomainXml(xml('bad3', "<sound model='nosuchmodel'/>")),
      ErrorCode.XML_ERROR,
      /sound model/,
    );
    await expectVirError(conn.defineDomainXml(xml('a/b', '')), ErrorCode.XML_ERROR, "name a/b cannot contain '/'");
    expect(await conn.listAllDomains()).toEqual([]);
  });

  it('refuses managed SCSI reservations at start (no qemu-pr-helper is run), leaving nothing behind', async () => {
    const image = join(root, 'lun.img');
    writeFileSync(image, Buffer.alloc(1 << 20));
    const lun = `<disk type='block' device='lun'><source dev='${image}'><reservations managed='yes'/></source><target dev='sda' bus='scsi'/></disk>`;
    const dom = await conn.defineDomainXml(xml('badpr', lun));
    const before = runState();
    await expectVirError(
      dom.create(),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: managed persistent reservations (qemu-pr-helper) are not supported by this driver yet',
    );
    expect(dom.getID()).toBe(-1);
    expect(runState()).toEqual(before);
    await dom.undefine();
  });

  it('cleans up after QEMU refuses its command line', async () => {
    // A kernel that does not exist: QEMU itself fails at start-up.
    const bad = xml('badkernel', '').replace('</os>', '<kernel>/nonexistent/vmlinuz</kernel></os>');
    const dom = await conn.defineDomainXml(bad);
    await expectVirError(
      dom.create(),
      ErrorCode.INTERNAL_ERROR,
      /^internal error: qemu unexpectedly closed the monitor: .*could not open kernel file '\/nonexistent\/vmlinuz'/s,
    );
    expect(dom.getID()).toBe(-1);
    expect(filesUnder(join(root, 'run', 'qemu'))).toEqual([]);
    expect(filesUnder(join(root, 'lib', 'qemu'))).toEqual([]);
    await dom.undefine();
  });

  it('passes a name full of shell metacharacters to QEMU as data, never to a shell', async () => {
    const marker = join(root, 'pwned');
    const name = `a;touch ${marker.replace(/\//g, '')}$(id)\`id\`&|>x`;
    const dom = await conn.createDomainXml(xml(name, `<emulator>${QEMU_BINARY}</emulator>`));
    expect(dom.getName()).toBe(name);
    expect(dom.getID()).toBeGreaterThan(0);
    await dom.destroy();
    expect(readdirSync(root).filter((f) => f.includes('pwned'))).toEqual([]);
    expect(readdirSync(process.cwd()).filter((f) => f.includes('pwned') || f === 'x')).toEqual([]);
    expect(filesUnder(join(root, 'run', 'qemu'))).toEqual([]);
  });
});
