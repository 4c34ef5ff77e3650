/**
 * Bulk statistics of a shut-off guest and the flag checks, without starting QEMU: the fields,
 * order and types libvirtd 9.0's qemu:///session gives for such a guest (see
 * tests/remote/libvirtd-qemu-bulk-stats.test.ts for the comparison with a running one).
 */
import { statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, DomainStatsTypes, ErrorCode, ErrorDomain } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

describe('qemu bulk stats of a shut-off guest', () => {
  let root: string;
  let conn: Connection;
  let image: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsvirt-qemu-bulk-'));
    image = join(root, 'disk.raw');
    writeFileSync(image, Buffer.alloc(1 << 20, 1));
    conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    await conn.defineDomainXml(`<domain type='qemu'>
  <name>off</name>
  <memory unit='MiB'>128</memory>
  <currentMemory unit='MiB'>96</currentMemory>
  <vcpu current='1'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${image}'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
  </devices>
</domain>`);
  });
  afterAll(async () => {
    await conn?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('gives the groups libvirt gives without a QEMU process, typed as libvirt types them', async () => {
    const [record] = await conn.getAllDomainStats();
    expect(record?.domain.getName()).toBe('off');
    const params = record!.params;
    expect(params.map((p) => `${p.field}:${p.type}`)).toEqual([
      'state.state:int',
      'state.reason:int',
      'cpu.time:ullong',
      'cpu.user:ullong',
      'cpu.system:ullong',
      'balloon.current:ullong',
      'balloon.maximum:ullong',
      'vcpu.current:uint',
      'vcpu.maximum:uint',
      'block.count:uint',
      'block.0.name:string',
      'block.0.path:string',
      'block.0.allocation:ullong',
      'block.0.capacity:ullong',
      'block.0.physical:ullong',
      'block.1.name:string',
    ]);
    const value = (f: string) => params.find((p) => p.field === f)?.value;
    expect([value('state.state'), value('state.reason')]).toEqual([5, 0]);
    expect([value('balloon.current'), value('balloon.maximum')]).toEqual([98304n, 131072n]);
    expect([value('vcpu.current'), value('vcpu.maximum'), value('block.count')]).toEqual([1, 2, 2]);
    const st = statSync(image);
    expect([value('block.0.allocation'), value('block.0.capacity'), value('block.0.physical')]).toEqual([
      BigInt(st.blocks * 512),
      1048576n,
      1048576n,
    ]);
    // Without a process, libvirt reports its own CPU time: here, this process's.
    expect(value('cpu.time')).toBe((value('cpu.user') as bigint) + (value('cpu.system') as bigint));
  });

  it('selects groups and domains, and refuses what libvirt refuses', async () => {
    const dom = await conn.lookupDomainByName('off');
    const only = await conn.domainListGetStats([dom, dom], DomainStatsTypes.VCPU, 0x2);
    expect(only.map((r) => r.params.map((p) => p.field))).toEqual([
      ['vcpu.current', 'vcpu.maximum'],
      ['vcpu.current', 'vcpu.maximum'],
    ]);
    expect(await conn.getAllDomainStats(DomainStatsTypes.STATE, 0x1)).toEqual([]);
    expect((await conn.getAllDomainStats(DomainStatsTypes.INTERFACE | DomainStatsTypes.DIRTYRATE))[0]?.params).toEqual(
      [],
    );
    const enforced = conn.getAllDomainStats(0x801, 0x80000000);
    await expectVirError(
      enforced,
      ErrorCode.ARGUMENT_UNSUPPORTED,
      'argument unsupported: Stats types bits 0x800 are not supported by this daemon or QEMU',
    );
    expect(await enforced.catch((e: { domain: number }) => e.domain)).toBe(ErrorDomain.QEMU);
    await expectVirError(
      conn.getAllDomainStats(0, 0x100),
      ErrorCode.INVALID_ARG,
      'unsupported flags (0x100) in function qemuConnectGetAllDomainStats',
    );
    await expectVirError(
      conn.domainListGetStats([], 0, 0),
      ErrorCode.INVALID_ARG,
      'doms array in virDomainListGetStats must contain at least one domain',
    );
  });
});
