/**
 * Debian's virsh against tsvirtd serving the qemu driver as qemu:///session, with HOME and the
 * XDG directories of the daemon in a temp dir (so the session state lives there, not in the
 * host's /etc, /var, /run): domcapabilities, domxml-to-native, and qemu-monitor-command (libvirt's
 * second RPC program, 0x20008087) on a real diskless TCG guest.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVirsh, virshAvailable } from '../cli/run-both.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const QEMU = '/usr/bin/qemu-system-x86_64';
const canRun = virshAvailable() && existsSync(QEMU);

describe.skipIf(!canRun)('virsh on qemu+unix:///session served by tsvirtd', () => {
  let home: string;
  let t: Tsvirtd;
  let uri: string;
  let xml: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsvirt-d2-home-'));
    t = await startTsvirtd([], undefined, {
      HOME: home,
      XDG_RUNTIME_DIR: join(home, 'run'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
    });
    uri = `qemu+unix:///session?socket=${t.socket}`;
    xml = join(home, 'guest.xml');
    await writeFile(
      xml,
      `<domain type='qemu'><name>mon1</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>${QEMU}</emulator></devices></domain>`,
    );
  }, 30_000);
  afterAll(async () => {
    // Never leave the guest behind.
    await runVirsh(['-c', uri, 'destroy', 'mon1']).catch(() => {});
    if (t) {
      expect(await t.stop()).toBe(0);
      await removeTsvirtdDir(t);
    }
    await rm(home, { recursive: true, force: true });
  });

  it('domcapabilities (REMOTE_PROC_CONNECT_GET_DOMAIN_CAPABILITIES)', async () => {
    const r = await runVirsh(['-c', uri, 'domcapabilities', '--emulatorbin', QEMU, '--virttype', 'qemu']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`<path>${QEMU}</path>`);
    expect(r.stdout).toContain('<domain>qemu</domain>');
    expect(r.stdout).toContain('<arch>x86_64</arch>');
  }, 30_000);

  it('domxml-to-native qemu-argv (REMOTE_PROC_CONNECT_DOMAIN_XML_TO_NATIVE)', async () => {
    const r = await runVirsh(['-c', uri, 'domxml-to-native', 'qemu-argv', xml]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(QEMU);
    expect(r.stdout).toContain('-name guest=mon1');
    // The session paths are the daemon's temp HOME, not the host's.
    expect(r.stdout).toContain(home);
    const bad = await runVirsh(['-c', uri, 'domxml-to-native', 'no-such-format', xml]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error: /);
  }, 30_000);

  it('qemu-monitor-command, QMP and HMP, on a running guest (the qemu program)', async () => {
    const created = await runVirsh(['-c', uri, 'create', xml]);
    expect(created.stderr).toBe('');
    const qmp = await runVirsh(['-c', uri, 'qemu-monitor-command', 'mon1', '{"execute":"query-status"}']);
    expect(qmp.stderr).toBe('');
    expect(JSON.parse(qmp.stdout).return).toMatchObject({ running: true, status: 'running' });
    const hmp = await runVirsh(['-c', uri, 'qemu-monitor-command', 'mon1', '--hmp', 'info status']);
    expect(hmp.stdout.trim()).toBe('VM status: running');
    const destroyed = await runVirsh(['-c', uri, 'destroy', 'mon1']);
    expect(destroyed.stdout.trim()).toBe("Domain 'mon1' destroyed");
    const gone = await runVirsh(['-c', uri, 'qemu-monitor-command', 'mon1', '{"execute":"query-status"}']);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain('error: ');
  }, 60_000);
});
