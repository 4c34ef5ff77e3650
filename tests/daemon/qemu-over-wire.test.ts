/**
 * Issue 5 item 4: tsvirt's client (@tsvirt/core + @tsvirt/remote) starts and destroys a real
 * diskless TCG guest over TCP, through the real libvirtd's qemu:///session (when libvirtd can run
 * here) and through tsvirtd serving the qemu driver with an embed root in a temp dir (the URI
 * qemu:///embed?root=DIR travels over the wire), and through a tsvirtd whose qemu:///session
 * lives in a temp HOME/XDG; nothing of the host's /etc, /var, /run is used.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const QEMU = '/usr/bin/qemu-system-x86_64';
const noQemu = existsSync(QEMU) ? undefined : `${QEMU} is not installed`;
const noLibvirtd = libvirtdUnavailable();

const guestXml = (name: string) => `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>${QEMU}</emulator>
  </devices>
</domain>`;

/** Start, check it runs (pid-backed state, listed as active), destroy, check it is gone. */
async function startAndDestroy(uri: string, name: string): Promise<void> {
  const conn = await connect(uri, { drivers: [driver] });
  const dom = await conn.createDomainXml(guestXml(name));
  try {
    expect(await dom.isActive()).toBe(true);
    expect((await dom.getInfo()).state).toBe(1); // VIR_DOMAIN_RUNNING
    expect((await conn.listAllDomains()).map((d) => d.getName())).toContain(name);
    expect(await dom.getXmlDesc()).toMatch(/<domain type=['"]qemu['"] id=['"]\d+['"]/);
    await dom.destroy();
    expect((await conn.listAllDomains()).map((d) => d.getName())).not.toContain(name);
  } finally {
    // Never leave a guest behind, whatever failed above.
    if (await dom.isActive().catch(() => false)) await dom.destroy().catch(() => {});
    await conn.close();
  }
}

describe.skipIf(noQemu)("a real TCG guest started through a daemon by tsvirt's client", () => {
  let t: Tsvirtd;
  let session: Tsvirtd;
  let l: Libvirtd | undefined;
  let root: string;
  let home: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsvirt-d2-embed-'));
    home = await mkdtemp(join(tmpdir(), 'tsvirt-d2-home-'));
    t = await startTsvirtd();
    // A second daemon whose qemu:///session lives in a temp HOME.
    session = await startTsvirtd([], undefined, {
      HOME: home,
      XDG_RUNTIME_DIR: join(home, 'run'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
    });
    if (!noLibvirtd) l = await startLibvirtd();
  }, 30_000);
  afterAll(async () => {
    for (const d of [t, session]) {
      if (!d) continue;
      expect(await d.stop()).toBe(0);
      await removeTsvirtdDir(d);
    }
    await rm(home, { recursive: true, force: true });
    await l?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it.skipIf(noLibvirtd)(
    'qemu+tcp://…/session through the real libvirtd',
    async () => {
      await startAndDestroy(`qemu+tcp://127.0.0.1:${l!.port}/session`, 'wire-libvirtd');
    },
    60_000,
  );

  it('qemu+tcp://…/embed?root=DIR through tsvirtd serving the qemu driver', async () => {
    await startAndDestroy(`qemu+tcp://127.0.0.1:${t.port}/embed?root=${root}`, 'wire-tsvirtd');
    // The driver kept its state under the temp root.
    expect(existsSync(join(root, 'run'))).toBe(true);
  }, 60_000);

  it('qemu+tcp://…/session through tsvirtd whose session state is in a temp HOME', async () => {
    await startAndDestroy(`qemu+tcp://127.0.0.1:${session.port}/session`, 'wire-session');
    expect(existsSync(join(home, 'run', 'tsvirt', 'qemu'))).toBe(true);
  }, 60_000);
});
