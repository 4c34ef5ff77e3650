/**
 * The probe and the cache against the real qemu-system-x86_64 of this machine (QEMU 7.2).
 * Nothing here is recorded: every fact below comes from a QEMU started by the test.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findMachine,
  formatQemuVersion,
  getSelfIdentity,
  parseQemuCapsCache,
  probeQemuBinary,
  type QemuCaps,
  QemuCapsCache,
  type QemuCapsProber,
} from '../src/index.js';
import { HAVE_QEMU, QEMU_BINARY } from './helpers/qemu.js';

describe.skipIf(!HAVE_QEMU)('probing the real QEMU', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsvirt-caps-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Counts real probes so a test can tell a cache hit from a fresh probe. */
  function countingProber(): { probe: QemuCapsProber; count: () => number } {
    let n = 0;
    return {
      probe: (binary, options) => {
        n++;
        return probeQemuBinary(binary, options);
      },
      count: () => n,
    };
  }

  it('learns version, machines, CPUs and flags over QMP', async () => {
    const caps: QemuCaps = await probeQemuBinary(QEMU_BINARY, { workDir: dir });
    expect(formatQemuVersion(caps.version)).toMatch(/^7\.2\.\d+$/);
    expect(caps.package).toMatch(/Debian/);
    expect(caps.arch).toBe('x86_64');
    for (const flag of [
      'tcg',
      'virtio-scsi-pci',
      'qemu-xhci',
      'pcie-root-port',
      'query-cpu-definitions',
      'x86-max-cpu',
      'cpu-max',
    ]) {
      expect(caps.flags, flag).toContain(flag);
    }
    // QEMU 7.2 predates these.
    expect(caps.flags).not.toContain('virtio-sound');
    expect(caps.flags).not.toContain('shim');
    const tcg = caps.accels.tcg;
    expect(tcg.machines.length).toBeGreaterThan(20);
    expect(findMachine(caps, 'tcg', 'pc')?.name).toBe('pc-i440fx-7.2');
    expect(findMachine(caps, 'tcg', 'q35')?.name).toBe('pc-q35-7.2');
    expect(tcg.machines[0]).toMatchObject({ name: 'pc-i440fx-7.2', alias: 'pc', isDefault: true, maxCpus: 255 });
    expect(tcg.machines.some((m) => m.name === 'none')).toBe(false);
    expect(tcg.cpuModels.find((m) => m.name === 'qemu64')).toMatchObject({ typename: 'qemu64-x86_64-cpu' });
    expect(tcg.hostCpu?.model).toBe('base');
    expect(tcg.hostCpu?.props.find((p) => p.name === 'model-id')?.value).toMatch(/QEMU TCG CPU/);
    // With a usable /dev/kvm the first process reports KVM, and a second, TCG-only, process
    // gives the TCG facts; without it everything comes from the first one.
    if (caps.flags.has('kvm')) expect(caps.accels.kvm.machines[0]?.name).toBe('pc-i440fx-7.2');
    else expect(caps.accels.kvm.machines).toEqual([]);
  });

  it('caches the probe, reuses it while the binary is unchanged and re-probes when its ctime moves', async () => {
    // A private copy of the binary, so the test can change its ctime.
    const binary = join(dir, 'qemu-system-x86_64');
    copyFileSync(QEMU_BINARY, binary);
    chmodSync(binary, 0o755);
    const counter = countingProber();
    const cacheDir = join(dir, 'cache');
    // The copy looks for its accelerator modules beside itself unless told where they are.
    const probeOptions = { workDir: dir, env: { QEMU_MODULE_DIR: '/usr/lib/x86_64-linux-gnu/qemu' } };
    const cache = new QemuCapsCache({ cacheDir, probe: counter.probe, probeOptions });

    const first = await cache.lookup(binary);
    expect(counter.count()).toBe(1);
    const file = cache.fileFor(binary);
    const doc = parseQemuCapsCache(readFileSync(file, 'utf8'));
    expect(doc.emulator).toBe(binary);
    expect(doc.qemuCtime).toBe(Math.floor(statSync(binary).ctimeMs / 1000));
    expect(doc.selfVers).toBe((await getSelfIdentity()).selfVers);
    expect([...doc.flags]).toEqual([...first.flags]);

    // A second cache object (a restarted driver) reads the document instead of probing.
    const again = await new QemuCapsCache({ cacheDir, probe: counter.probe, probeOptions }).lookup(binary);
    expect(counter.count()).toBe(1);
    expect(again.version).toBe(first.version);
    expect(again.accels.tcg.machines).toEqual(first.accels.tcg.machines);

    // Concurrent lookups share one probe.
    const fresh = new QemuCapsCache({ cacheDir: join(dir, 'cache2'), probe: counter.probe, probeOptions });
    await Promise.all([fresh.lookup(binary), fresh.lookup(binary)]);
    expect(counter.count()).toBe(2);

    // ctime is kept in seconds, as libvirt keeps it: step into the next second, then chmod.
    await new Promise((r) => setTimeout(r, 1100));
    chmodSync(binary, 0o750);
    await cache.lookup(binary);
    expect(counter.count()).toBe(3);
    expect(parseQemuCapsCache(readFileSync(file, 'utf8')).qemuCtime).toBe(Math.floor(statSync(binary).ctimeMs / 1000));

    // A damaged document is probed over.
    writeFileSync(file, '<qemuCaps><version>');
    await cache.lookup(binary);
    expect(counter.count()).toBe(4);
    expect(existsSync(file)).toBe(true);
  });

  it('reports a binary that exits instead of offering a monitor', async () => {
    await expectVirError(
      probeQemuBinary('/bin/false', { workDir: dir }),
      ErrorCode.INTERNAL_ERROR,
      'internal error: Failed to probe capabilities for /bin/false: QEMU exited before its monitor came up',
    );
    // What QEMU itself says on stderr becomes the reason.
    await expectVirError(
      probeQemuBinary(QEMU_BINARY, { workDir: dir, accel: 'no-such-accel' }),
      ErrorCode.INTERNAL_ERROR,
      /^internal error: Failed to probe capabilities for .*qemu-system-x86_64: .*no-such-accel/,
    );
  });

  it("reports a missing or non-executable binary with libvirt's wording", async () => {
    const cache = new QemuCapsCache({ cacheDir: join(dir, 'cache3') });
    await expectVirError(
      cache.lookup(join(dir, 'absent')),
      ErrorCode.SYSTEM_ERROR,
      /^Cannot check QEMU binary .*absent: No such file or directory$/,
    );
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    chmodSync(plain, 0o644);
    if (process.getuid?.() !== 0) {
      await expectVirError(cache.lookup(plain), ErrorCode.SYSTEM_ERROR, /is not executable/);
    }
  });
});
