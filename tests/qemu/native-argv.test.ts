/**
 * `domxml-to-native qemu-argv` beside the real libvirt: tsvirsh on qemu:///embed and Debian's
 * virsh through a real libvirtd 9.0 (qemu:///session, user nobody, private dir) convert the same
 * small domains for QEMU 7.2. tsvirt builds the command line of libvirt 11.3 (its golden data),
 * so the few things libvirt changed since 9.0 are mapped before comparing; everything else must
 * be equal, word for word.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { guestXml, QEMU_BINARY, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const skip = libvirtdUnavailable() ?? (typeof guest === 'string' ? guest : undefined);

const DISKLESS = `<domain type='qemu'>
  <name>small</name>
  <uuid>6ba19223-1acc-4844-9c54-27cdcad0a47a</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>${QEMU_BINARY}</emulator>
    <serial type='pty'/>
    <console type='pty'/>
  </devices>
</domain>`;

/** One word per argument; env and per-domain paths differ by design (daemon vs embedded root). */
function normalise(line: string, libDir: string): string[] {
  return (
    line
      .trim()
      .split(' ')
      .filter((w) => !/^(PATH|HOME|XDG_[A-Z_]+)=/.test(w))
      .map((w) => w.split(libDir).join('LIBDIR'))
      // libvirt 9.0 wrote these forms; libvirt 11 (what tsvirt follows) writes the others.
      .map((w) => w.replace(/^pc-i440fx-7\.2,/, 'pc,'))
      .map((w) => w.replace(/,acpi=(on|off)$/, ''))
      .filter((w) => w !== '-no-acpi')
      .map((w, i, all) => (all[i - 1] === '-m' && /^\d+$/.test(w) ? `size=${Number(w) * 1024}k` : w))
  );
}

describe.skipIf(skip !== undefined)('domxml-to-native qemu-argv beside libvirtd 9.0', () => {
  let daemon: Libvirtd;
  let dir: string;
  beforeAll(async () => {
    daemon = await startLibvirtd();
    dir = mkdtempSync(join(tmpdir(), 'tsvirt-native-'));
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, () => string]> = [
    ['a diskless guest with a serial console', () => DISKLESS],
    [
      'the direct-kernel-boot test guest with ACPI',
      () =>
        guestXml(guest as TestGuest, 'kboot').replace(
          '<name>',
          '<uuid>0b7c5e0e-5d3c-4b59-9d6e-3a3d7c1e2f10</uuid>\n  <name>',
        ),
    ],
  ];
  for (const [title, xml] of cases) {
    it(title, () => {
      const file = join(dir, 'domain.xml');
      writeFileSync(file, xml());
      const theirs = spawnSync(
        'virsh',
        ['-c', daemon.tcpUri('/session').replace(/^test\+/, 'qemu+'), 'domxml-to-native', 'qemu-argv', file],
        { encoding: 'utf8' },
      );
      expect(theirs.stderr).toBe('');
      const root = join(dir, 'embed');
      const ours = spawnSync(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          'packages/cli/src/main.ts',
          '-c',
          `qemu:///embed?root=${root}`,
          'domxml-to-native',
          'qemu-argv',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(ours.stderr).toBe('');
      const name = /<name>([^<]+)</.exec(xml())?.[1] ?? '';
      const theirLib = new RegExp(`/[^ =']*domain--1-${name}`).exec(theirs.stdout)![0];
      const ourLib = join(root, 'lib', 'qemu', `domain--1-${name}`);
      expect(normalise(ours.stdout, ourLib)).toEqual(normalise(theirs.stdout, theirLib));
    }, 120_000);
  }
});
