import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DomainDef, DomainState, ErrorCode, formatDomainXml, parseConnectUri, parseDomainXml } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../src/driver/config-store.js';
import { JobLocks } from '../src/driver/job-lock.js';
import { domainLibDir, qemuPathsFor } from '../src/driver/paths.js';
import { StatusFiles } from '../src/driver/status-file.js';

const XML = `<domain type='qemu'>
  <name>files-test</name>
  <uuid>2f0ad2e3-4c7c-4d89-9f0f-1c1e0f2f5a11</uuid>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>`;

describe('qemu:/// paths', () => {
  it('puts everything of an embedded driver under root=', () => {
    const p = qemuPathsFor(parseConnectUri('qemu:///embed?root=/tmp/x'))!;
    expect(p).toMatchObject({
      kind: 'embed',
      configDir: '/tmp/x/etc/qemu',
      autostartDir: '/tmp/x/etc/qemu/autostart',
      stateDir: '/tmp/x/run/qemu',
      libDir: '/tmp/x/lib/qemu',
      logDir: '/tmp/x/log/qemu',
      cacheDir: '/tmp/x/cache/qemu',
    });
    expect(domainLibDir(p, 3, 'a-name-longer-than-twenty-characters')).toBe(
      '/tmp/x/lib/qemu/domain-3-a-name-longer-than-t',
    );
  });

  it('uses the XDG directories for session and the tsvirt roots for system', () => {
    const env = { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/7' };
    const s = qemuPathsFor(parseConnectUri('qemu:///session'), env)!;
    expect(s.configDir).toBe('/home/u/.config/tsvirt/qemu');
    expect(s.stateDir).toBe('/run/user/7/tsvirt/qemu');
    const sys = qemuPathsFor(parseConnectUri('qemu:///system'))!;
    expect([sys.configDir, sys.stateDir, sys.libDir, sys.logDir]).toEqual([
      '/etc/tsvirt/qemu',
      '/run/tsvirt/qemu',
      '/var/lib/tsvirt/qemu',
      '/var/log/tsvirt/qemu',
    ]);
    expect(qemuPathsFor(parseConnectUri('qemu:///other'))).toBeUndefined();
    const moved = qemuPathsFor(parseConnectUri('qemu:///system'), {}, '/srv/host')!;
    expect([moved.configDir, moved.stateDir, moved.cacheDir]).toEqual([
      '/srv/host/etc/tsvirt/qemu',
      '/srv/host/run/tsvirt/qemu',
      '/srv/host/var/cache/tsvirt/qemu',
    ]);
  });

  it("refuses embed without an absolute root, with libvirt's errors", async () => {
    const paths = async (uri: string) => qemuPathsFor(parseConnectUri(uri));
    await expectVirError(paths('qemu:///embed'), ErrorCode.INVALID_ARG, "Missing URI parameter 'root'");
    await expectVirError(paths('qemu:///embed?root=rel'), ErrorCode.CONFIG_UNSUPPORTED, 'root path must be absolute');
  });
});

describe('stored definitions and status files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const format = (def: DomainDef) => formatDomainXml(def, { inactive: true });
  const parse = (xml: string) => parseDomainXml(xml);

  it('saves, lists, autostarts and removes definitions; files are private', async () => {
    const paths = qemuPathsFor(parseConnectUri(`qemu:///embed?root=${dir}`))!;
    const store = new ConfigStore(paths, format, parse);
    const def = parseDomainXml(XML);
    await store.save(def);
    await store.setAutostart(def.name, true);
    expect(statSync(join(paths.configDir, 'files-test.xml')).mode & 0o777).toBe(0o600);
    const loaded = await store.loadAll(() => undefined);
    expect(loaded.map((c) => [c.def.name, c.autostart])).toEqual([['files-test', true]]);
    await store.setAutostart(def.name, false);
    expect((await store.loadAll(() => undefined))[0]?.autostart).toBe(false);
    await store.remove(def.name);
    expect(await store.loadAll(() => undefined)).toEqual([]);
    expect(readdirSync(paths.configDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('skips a definition that no longer parses, with a warning', async () => {
    const paths = qemuPathsFor(parseConnectUri(`qemu:///embed?root=${dir}`))!;
    const store = new ConfigStore(paths, () => '<domain', parse);
    await store.save(parseDomainXml(XML));
    const warnings: string[] = [];
    expect(await store.loadAll((w) => warnings.push(w))).toEqual([]);
    expect(warnings[0]).toMatch(/^Failed to load config for domain 'files-test'/);
  });

  it('writes a status file that reads back with pid, monitor and the live definition', async () => {
    const paths = qemuPathsFor(parseConnectUri(`qemu:///embed?root=${dir}`))!;
    const files = new StatusFiles(paths, (def) => formatDomainXml(def), parse);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(paths.stateDir, { recursive: true });
    const def = { ...parseDomainXml(XML), id: 4 };
    await files.write({
      state: DomainState.PAUSED,
      reason: 1,
      pid: 4242,
      monitorPath: '/m.sock',
      libDir: '/l',
      def,
    });
    const text = readFileSync(join(paths.stateDir, 'files-test.xml'), 'utf8');
    expect(text).toMatch(
      /^<domstatus state='paused' reason='1' pid='4242'>\n {2}<monitor path='\/m.sock' type='unix'\/>/,
    );
    const [status] = await files.loadAll(() => undefined);
    expect(status).toMatchObject({
      state: DomainState.PAUSED,
      reason: 1,
      pid: 4242,
      monitorPath: '/m.sock',
      libDir: '/l',
    });
    expect(status?.def.id).toBe(4);
    await files.remove('files-test');
    expect(await files.loadAll(() => undefined)).toEqual([]);
  });
});

describe('per-domain jobs', () => {
  it('serialises jobs on one key and lets other keys run', async () => {
    const locks = new JobLocks();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = locks.run('a', async () => {
      order.push('a1 start');
      await new Promise<void>((r) => {
        releaseFirst = r;
      });
      order.push('a1 end');
    });
    const second = locks.run('a', async () => {
      order.push('a2');
    });
    const other = locks.run('b', async () => {
      order.push('b');
    });
    await other;
    expect(order).toEqual(['a1 start', 'b']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('keeps going after a failed job', async () => {
    const locks = new JobLocks();
    await expect(locks.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.run('a', async () => 7)).resolves.toBe(7);
  });
});
