/**
 * virConnectGetAllDomainStats / virDomainListGetStats of the qemu driver with a real TCG guest:
 * tsvirt's qemu:///embed against the real libvirtd 9.0's qemu:///session on this host, for the
 * same domain XML (virtio disk on a qcow2 image, user-mode NIC, the default virtio balloon), once
 * shut off and once running. Both must give the same groups and fields in the same order with
 * the same types; figures that cannot move compare exactly, the moving ones (times, counters,
 * resident set) by type and bounds. Flag errors compare exactly.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, type Domain, isVirError, type StatsParam } from '@tsvirt/core';
import { driver as qemuDriver } from '@tsvirt/driver-qemu';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestXml, type TestGuest, testGuest } from '../qemu/guest.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const guest = testGuest();
const qemuImg = spawnSync('qemu-img', ['--version']).status === 0;
const skip =
  libvirtdUnavailable() ??
  (typeof guest === 'string' ? guest : !qemuImg ? 'qemu-img is not installed (qemu-utils)' : undefined);
if (skip) console.warn(`skipping the qemu bulk-stats comparison: ${skip}`);

const NOBODY = 65534;
const ENFORCE = 0x80000000;
const BACKING = 0x40000000;
const NOWAIT = 0x20000000;

/** Figures that are the same on both sides for the same XML and guest. */
const STEADY = [
  /^state\./,
  /^balloon\.(current|maximum)$/,
  /^vcpu\.(current|maximum|\d+\.state)$/,
  /^net\.count$/,
  /^block\.(count|\d+\.name|\d+\.backingIndex|\d+\.capacity)$/,
  /^cpu\.cache\.monitor\.count$/,
  /^dirtyrate\.calc_(status|period|mode)$/,
];

/** A side's own disk image path is the one thing of the XML that differs. */
function comparable(params: readonly StatsParam[], image: string) {
  return params.map((p) => {
    const steady = STEADY.some((re) => re.test(p.field));
    if (p.field.endsWith('.path'))
      return { field: p.field, type: p.type, value: p.value === image ? 'IMAGE' : p.value };
    return { field: p.field, type: p.type, ...(steady ? { value: p.value } : {}) };
  });
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    const records = (await p) as { domain: Domain; params: readonly StatsParam[] }[];
    return records.map((r) => ({ name: r.domain.getName(), fields: r.params.map((x) => x.field) }));
  } catch (e) {
    return isVirError(e) ? { code: e.code, domain: e.domain, message: e.message } : String(e);
  }
}

interface Side {
  conn: Connection;
  dom: Domain;
  image: string;
}

describe.skipIf(skip !== undefined)('qemu bulk domain stats: tsvirt vs libvirtd with a real guest', () => {
  let daemon: Libvirtd | undefined;
  let dir = '';
  let root = '';
  let theirs: Side;
  let ours: Side;
  let kernel = '';
  let initrd = '';

  beforeAll(async () => {
    const g = guest as TestGuest;
    // Files libvirtd's QEMU (running as nobody) can read and write.
    dir = mkdtempSync(join(tmpdir(), 'tsvirt-bulk-stats-'));
    root = mkdtempSync(join(tmpdir(), 'tsvirt-bulk-embed-'));
    kernel = join(dir, 'vmlinuz');
    initrd = join(dir, 'initrd.gz');
    copyFileSync(g.kernel, kernel);
    copyFileSync(g.initrd, initrd);
    const images = [join(dir, 'theirs.qcow2'), join(dir, 'ours.qcow2')];
    for (const image of images) {
      expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M']).status).toBe(0);
    }
    for (const f of [dir, kernel, initrd, ...images]) chownSync(f, NOBODY, NOBODY);
    const xml = (image: string) =>
      guestXml(
        { kernel, initrd },
        'bulk',
        `
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${image}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'><mac address='52:54:00:5a:00:09'/><model type='virtio'/></interface>`,
      );
    daemon = await startLibvirtd();
    const theirConn = await connect(daemon.tcpUri('/session').replace(/^test\+/, 'qemu+'), { drivers: [driver] });
    const ourConn = await connect(`qemu:///embed?root=${root}`, { drivers: [qemuDriver] });
    theirs = { conn: theirConn, dom: await theirConn.defineDomainXml(xml(images[0]!)), image: images[0]! };
    ours = { conn: ourConn, dom: await ourConn.defineDomainXml(xml(images[1]!)), image: images[1]! };
  }, 120_000);

  afterAll(async () => {
    for (const side of [theirs, ours]) {
      if (!side) continue;
      await side.dom.destroy().catch(() => undefined);
      await side.dom.undefine().catch(() => undefined);
      await side.conn.close();
    }
    await daemon?.stop();
    for (const d of [dir, root]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const statsOf = async (side: Side, stats = 0, flags = 0) => {
    const records = await side.conn.domainListGetStats([side.dom], stats, flags);
    expect(records).toHaveLength(1);
    return records[0]!.params;
  };

  it('a shut-off guest: the same fields, types and sizes', async () => {
    const a = await statsOf(theirs);
    const b = await statsOf(ours);
    expect(comparable(b, ours.image)).toEqual(comparable(a, theirs.image));
    // A fresh qcow2 image of the same size: its sizes on disk match too.
    for (const f of ['block.0.allocation', 'block.0.physical', 'block.0.capacity']) {
      expect({ f, v: b.find((p) => p.field === f)?.value }).toEqual({ f, v: a.find((p) => p.field === f)?.value });
    }
    // With no QEMU process both report the daemon's own CPU time: positive.
    expect(b.find((p) => p.field === 'cpu.time')?.value).toBeGreaterThan(0n);
  }, 60_000);

  it('a running guest: the same groups, fields, order and types; steady figures equal', async () => {
    await theirs.dom.create();
    await ours.dom.create();
    // The guest's balloon driver reports once it has loaded: wait for that on both sides.
    const booted = async (side: Side) => {
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const params = await statsOf(side, 0x4);
        if (params.some((p) => p.field === 'balloon.unused')) return;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error('the guest balloon never reported');
    };
    await Promise.all([booted(theirs), booted(ours)]);
    const a = await statsOf(theirs);
    const b = await statsOf(ours);
    expect(comparable(b, ours.image)).toEqual(comparable(a, theirs.image));
    const value = (params: readonly StatsParam[], f: string) => params.find((p) => p.field === f)?.value as bigint;
    // Moving figures: within sane bounds for a 128 MiB single-vCPU guest that just booted.
    for (const [side, params] of [
      ['libvirtd', a],
      ['tsvirt', b],
    ] as const) {
      expect({ side, t: value(params, 'cpu.time') }).toEqual({
        side,
        t: value(params, 'cpu.user') + value(params, 'cpu.system'),
      });
      expect(value(params, 'cpu.time')).toBeGreaterThan(0n);
      expect(value(params, 'vcpu.0.time')).toBeGreaterThan(0n);
      expect(value(params, 'vcpu.0.time')).toBeLessThanOrEqual(value(params, 'cpu.time') + 1_000_000_000n);
      expect(value(params, 'balloon.rss')).toBeGreaterThan(10_000n);
      expect(value(params, 'balloon.available')).toBeLessThanOrEqual(131072n);
      expect(value(params, 'balloon.unused')).toBeLessThanOrEqual(value(params, 'balloon.available'));
      expect(value(params, 'block.0.rd.reqs')).toBeGreaterThanOrEqual(0n);
      expect(value(params, 'block.0.physical')).toBeGreaterThan(0n);
    }
  }, 180_000);

  it('single groups, list filters, repeats and BACKING/NOWAIT give the same records', async () => {
    const calls: [string, (s: Side) => Promise<unknown>][] = [];
    for (const group of [0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x7ff]) {
      calls.push([`group ${group}`, (s) => outcome(s.conn.domainListGetStats([s.dom], group, 0))]);
    }
    calls.push(
      ['active', (s) => outcome(s.conn.getAllDomainStats(1, 0x1))],
      ['inactive', (s) => outcome(s.conn.getAllDomainStats(1, 0x2))],
      ['running+enforce', (s) => outcome(s.conn.getAllDomainStats(0x3ff, 0x10 | ENFORCE))],
      ['shutoff list', (s) => outcome(s.conn.domainListGetStats([s.dom], 1, 0x40))],
      ['repeat+backing', (s) => outcome(s.conn.domainListGetStats([s.dom, s.dom], 0x21, BACKING | 1))],
      ['nowait', (s) => outcome(s.conn.domainListGetStats([s.dom], 0x9, NOWAIT))],
      ['enforce 0x800', (s) => outcome(s.conn.getAllDomainStats(0x801, ENFORCE))],
      ['enforce 0xf000', (s) => outcome(s.conn.domainListGetStats([s.dom], 0xf001, ENFORCE))],
      ['unknown bits dropped', (s) => outcome(s.conn.getAllDomainStats(0x801, 0))],
      ['flag 0x100', (s) => outcome(s.conn.getAllDomainStats(0, 0x100))],
      ['flag 0x10000000', (s) => outcome(s.conn.domainListGetStats([s.dom], 0, 0x10000000))],
      ['empty list', (s) => outcome(s.conn.domainListGetStats([], 0, 0))],
    );
    for (const [label, call] of calls) {
      expect({ label, v: await call(ours) }).toEqual({ label, v: await call(theirs) });
    }
  }, 60_000);

  it('a paused guest: state, vCPU and block groups alike; resumed, the same again', async () => {
    for (const side of [theirs, ours]) await side.dom.suspend();
    const paused = [await statsOf(theirs, 0x1 | 0x8 | 0x20), await statsOf(ours, 0x1 | 0x8 | 0x20)] as const;
    expect(comparable(paused[1], ours.image)).toEqual(comparable(paused[0], theirs.image));
    expect(paused[1].slice(0, 2).map((p) => p.value)).toEqual([3, 1]);
    for (const side of [theirs, ours]) await side.dom.resume();
    const resumed = [await statsOf(theirs, 0x1), await statsOf(ours, 0x1)] as const;
    expect(comparable(resumed[1], ours.image)).toEqual(comparable(resumed[0], theirs.image));
  }, 60_000);

  it('no balloon, an offline vCPU, a raw disk and an empty CD-ROM: shut off and running', async () => {
    const images = [join(dir, 'theirs.raw'), join(dir, 'ours.raw')];
    for (const image of images) {
      expect(spawnSync('qemu-img', ['create', '-q', '-f', 'raw', image, '16M']).status).toBe(0);
      chownSync(image, NOBODY, NOBODY);
    }
    const xml = (image: string) =>
      guestXml(
        { kernel, initrd },
        'bulk2',
        `
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${image}'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>
    <memballoon model='none'/>`,
      )
        .replace('<vcpu>1</vcpu>', "<vcpu current='1'>2</vcpu>")
        .replace(
          "<memory unit='MiB'>128</memory>",
          "<memory unit='MiB'>128</memory><currentMemory unit='MiB'>100</currentMemory>",
        );
    const sides: Side[] = [];
    try {
      for (const [i, side] of [theirs, ours].entries()) {
        sides.push({ conn: side.conn, dom: await side.conn.defineDomainXml(xml(images[i]!)), image: images[i]! });
      }
      const [t, o] = sides as [Side, Side];
      const off = [await statsOf(t), await statsOf(o)] as const;
      expect(comparable(off[1], o.image)).toEqual(comparable(off[0], t.image));
      for (const f of ['balloon.current', 'block.0.allocation', 'block.0.physical', 'block.0.capacity']) {
        expect({ f, v: off[1].find((p) => p.field === f)?.value }).toEqual({
          f,
          v: off[0].find((p) => p.field === f)?.value,
        });
      }
      await t.dom.create();
      await o.dom.create();
      const running = [await statsOf(t), await statsOf(o)] as const;
      expect(comparable(running[1], o.image)).toEqual(comparable(running[0], t.image));
    } finally {
      for (const side of sides) {
        await side.dom.destroy().catch(() => undefined);
        await side.dom.undefine().catch(() => undefined);
      }
    }
  }, 120_000);

  it('a disk on a backing image: the chain is listed with BACKING while running, as libvirtd lists it', async () => {
    const sides: Side[] = [];
    try {
      for (const [i, side] of [theirs, ours].entries()) {
        const base = join(dir, `base${i}.qcow2`);
        const top = join(dir, `top${i}.qcow2`);
        expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '32M']).status).toBe(0);
        expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', top]).status).toBe(0);
        for (const f of [base, top]) chownSync(f, NOBODY, NOBODY);
        const xml = guestXml(
          { kernel, initrd },
          'bulk3',
          `
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${top}'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>`,
        );
        sides.push({ conn: side.conn, dom: await side.conn.defineDomainXml(xml), image: top });
      }
      const [t, o] = sides as [Side, Side];
      // Each side's own files stand for the same thing.
      const mine = (params: readonly StatsParam[], i: number) =>
        comparable(params, join(dir, `top${i}.qcow2`)).map((p) =>
          p.value === join(dir, `base${i}.qcow2`) ? { ...p, value: 'BASE' } : p,
        );
      expect(mine(await statsOf(o, 0x20, BACKING), 1)).toEqual(mine(await statsOf(t, 0x20, BACKING), 0));
      await t.dom.create();
      await o.dom.create();
      for (const flags of [0, BACKING]) {
        const a = await statsOf(t, 0x20, flags);
        const b = await statsOf(o, 0x20, flags);
        expect({ flags, v: mine(b, 1) }).toEqual({ flags, v: mine(a, 0) });
      }
    } finally {
      for (const side of sides) {
        await side.dom.destroy().catch(() => undefined);
        await side.dom.undefine().catch(() => undefined);
      }
    }
  }, 120_000);
});
