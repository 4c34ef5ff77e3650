/**
 * network:///system's files: definitions in /etc/tsvirt/qemu/networks (beside qemu:///system's
 * /etc/tsvirt/qemu), every path under `config.systemRoot` when given (here a temp dir, inside a
 * namespace), and the one-time import of definitions an earlier version kept in libvirt's
 * /etc/libvirt/qemu/networks (copied with their autostart marks, the originals left alone).
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';
import { deleteNamespace, links, newNamespace, SKIP_REASON } from './netns.js';

const OLD =
  "<network>\n  <name>old</name>\n  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n  <bridge name='tsvimp0'/>\n</network>\n";

describe.skipIf(SKIP_REASON !== undefined)('network:///system paths under config.systemRoot', () => {
  let ns: string;
  let root: string;
  beforeAll(() => {
    ns = newNamespace('sys');
    root = mkdtempSync(join(tmpdir(), 'tsvirt-sysroot-'));
    // What an earlier version left in libvirt's directory: a definition marked autostart.
    const legacy = join(root, 'etc/libvirt/qemu/networks');
    mkdirSync(join(legacy, 'autostart'), { recursive: true });
    writeFileSync(join(legacy, 'old.xml'), OLD);
    symlinkSync(join(legacy, 'old.xml'), join(legacy, 'autostart/old.xml'));
  });
  afterAll(() => {
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('imports the old definitions once, keeps new ones in /etc/tsvirt/qemu/networks', async () => {
    const conn = await connect('network:///system', { drivers: [driver], config: { netns: ns, systemRoot: root } });
    try {
      const dir = join(root, 'etc/tsvirt/qemu/networks');
      expect(readFileSync(join(dir, 'old.xml'), 'utf8')).toContain('<name>old</name>');
      expect(readlinkSync(join(dir, 'autostart/old.xml'))).toBe(join(dir, 'old.xml'));
      expect(existsSync(join(root, 'etc/libvirt/qemu/networks/old.xml'))).toBe(true);
      // Imported with its autostart mark, so the driver's start started it (in the namespace).
      const old = await conn.lookupNetworkByName('old');
      expect(await old.isActive()).toBe(true);
      expect(links(ns)).toContain('tsvimp0');
      expect(existsSync(join(root, 'run/tsvirt/network/old.json'))).toBe(true);
      await old.destroy();

      const net = await conn.defineNetworkXml("<network><name>fresh</name><bridge name='tsvimp1'/></network>");
      await net.setAutostart(true);
      expect(lstatSync(join(dir, 'autostart/fresh.xml')).isSymbolicLink()).toBe(true);
      expect(existsSync(join(root, 'etc/libvirt/qemu/networks/fresh.xml'))).toBe(false);
      await net.undefine();
      expect(existsSync(join(dir, 'fresh.xml'))).toBe(false);
      await old.undefine();
    } finally {
      await conn.close();
    }
    // Not imported again: the new directory exists now.
    const again = await connect('network:///system', { drivers: [driver], config: { netns: ns, systemRoot: root } });
    expect((await again.listAllNetworks()).map((n) => n.getName())).toEqual([]);
    await again.close();
  });

  it('refuses a relative root', async () => {
    await expectVirError(
      connect('network:///system', { drivers: [driver], config: { systemRoot: 'rel' } }),
      ErrorCode.INVALID_ARG,
      /root path 'rel' must be absolute/,
    );
  });
});
