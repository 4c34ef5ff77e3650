/**
 * virDomainSetMetadata / virDomainGetMetadata on the QEMU driver (qemu:///embed in a temp root).
 * A defined guest: the same script on tsvirt and on the real libvirtd's qemu:///session (when it
 * can run here) gives the same answers, errors and title/description/<metadata> in the inactive
 * XML; the change is in the config file and survives a new connection. A running guest (when the
 * test guest can be built): LIVE changes only the live definition, kept in its status file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, type Domain, DomainXmlFlags, VirError } from '@tsvirt/core';
import { driver } from '@tsvirt/driver-qemu';
import { driver as remoteDriver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { destroyAll, guestXml, QEMU_BINARY, type TestGuest, testGuest } from './guest.js';

const skip = existsSync(QEMU_BINARY) ? undefined : `${QEMU_BINARY} is not installed`;
const U = 'http://example.com/app/';

const DEFINED = `<domain type='qemu'>
  <name>meta1</name>
  <uuid>3e2b9a52-5d0c-4f4e-9a59-2f7f8b0a6c11</uuid>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>${QEMU_BINARY}</emulator></devices>
</domain>`;

/** The lines of domain XML the metadata APIs change. */
function metadataLines(xml: string): string {
  const m =
    /\n {2}<title>[^\n]*\n|\n {2}<description>[\s\S]*?<\/description>\n|\n {2}<metadata\/>\n|\n {2}<metadata>[\s\S]*?\n {2}<\/metadata>\n/g;
  return (xml.match(m) ?? []).join('');
}

async function script(dom: Domain): Promise<unknown[]> {
  const steps: (() => Promise<unknown>)[] = [
    () => dom.getMetadata(0),
    () => dom.setMetadata(0, 'a description'),
    () => dom.getMetadata(0),
    () => dom.setMetadata(1, 'a title', undefined, undefined, 2),
    () => dom.getMetadata(1, undefined, 2),
    () => dom.getMetadata(1, undefined, 1),
    () => dom.setMetadata(0, 'x', undefined, undefined, 1),
    () => dom.setMetadata(2, '<app ver="1"><item>x</item></app>', 'app', U),
    () => dom.getMetadata(2, U),
    () => dom.setMetadata(2, '<a>', 'app', U),
    () => dom.setMetadata(2, '<a/>', 'app', U, 8),
    () => dom.getMetadata(2, U, 8),
    async () => metadataLines(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)),
    () => dom.setMetadata(2, undefined, undefined, U),
    () => dom.setMetadata(1, ''),
    async () => metadataLines(await dom.getXmlDesc(DomainXmlFlags.INACTIVE)),
    () => dom.setMetadata(1, 'kept'),
    () => dom.setMetadata(2, '<keep/>', 'k', U),
  ];
  const out: unknown[] = [];
  for (const step of steps) {
    try {
      out.push((await step()) ?? null);
    } catch (e) {
      if (!(e instanceof VirError)) throw e;
      out.push({ code: e.code, domain: e.domain, message: e.message });
    }
  }
  return out;
}

describe.skipIf(skip !== undefined)('qemu driver: domain metadata', () => {
  let root: string;
  let conn: Connection;
  let libvirtd: Libvirtd | undefined;
  const guest = testGuest();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-meta-'));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    if (!libvirtdUnavailable()) libvirtd = await startLibvirtd();
  });
  afterAll(async () => {
    await destroyAll(conn);
    await conn.close();
    await libvirtd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('a defined guest: the same answers as libvirtd’s qemu driver, stored in the config file', async () => {
    const ours = await script(await conn.defineDomainXml(DEFINED));
    expect(ours[8]).toBe('<app ver="1">\n  <item>x</item>\n</app>');
    if (libvirtd) {
      const theirsConn = await connect(`qemu+tcp://127.0.0.1:${libvirtd.port}/session`, { drivers: [remoteDriver] });
      try {
        const dom = await theirsConn.defineDomainXml(DEFINED);
        try {
          expect(ours).toEqual(await script(dom));
        } finally {
          await dom.undefine();
        }
      } finally {
        await theirsConn.close();
      }
    }
    const file = readFileSync(join(root, 'etc', 'qemu', 'meta1.xml'), 'utf8');
    expect(file).toContain('<title>kept</title>');
    expect(file).toContain(`<k:keep xmlns:k="${U}"/>`);
    // A new connection reads the stored definition back.
    const again = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    try {
      const dom = await again.lookupDomainByName('meta1');
      expect(await dom.getMetadata(1)).toBe('kept');
      expect(await dom.getMetadata(2, U)).toBe('<keep/>');
    } finally {
      await again.close();
    }
  });

  it.skipIf(typeof guest === 'string')(
    'a running guest: LIVE changes the live definition and its status file only',
    async () => {
      const events: unknown[] = [];
      const off = conn.on('domain-metadata-change', (e) => events.push([e.domain.getName(), e.type, e.nsuri]));
      const dom = await conn.defineDomainXml(guestXml(guest as TestGuest, 'meta2'));
      await dom.setMetadata(0, 'config description');
      await dom.create();
      await dom.setMetadata(0, 'live description');
      await dom.setMetadata(2, '<run/>', 'r', U, 1);
      expect(await dom.getMetadata(0)).toBe('live description');
      expect(await dom.getMetadata(0, undefined, 2)).toBe('config description');
      await expect(dom.getMetadata(2, U, 2)).rejects.toMatchObject({ code: 80 });
      const status = readFileSync(join(root, 'run', 'qemu', 'meta2.xml'), 'utf8');
      expect(status).toContain('<description>live description</description>');
      expect(status).toContain(`<r:run xmlns:r="${U}"/>`);
      expect(readFileSync(join(root, 'etc', 'qemu', 'meta2.xml'), 'utf8')).toContain(
        '<description>config description</description>',
      );
      await dom.destroy();
      // Back to the persistent definition.
      expect(await dom.getMetadata(0)).toBe('config description');
      await new Promise((r) => setImmediate(r));
      off();
      expect(events).toEqual([
        ['meta2', 0, undefined],
        ['meta2', 0, undefined],
        ['meta2', 2, U],
      ]);
    },
  );
});
