/** Concurrent calls on one guest run one at a time, in the order they were made (libvirt's domain job). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, DomainEventType, DomainState } from '@tsvirt/core';
import { driver } from '@tsvirt/driver-qemu';
import { afterAll, describe, expect, it } from 'vitest';
import { destroyAll, QEMU_BINARY } from './guest.js';

const xml = (name: string) => `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices><emulator>${QEMU_BINARY}</emulator></devices>
</domain>`;

describe.skipIf(!existsSync(QEMU_BINARY))('qemu driver jobs', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-jobs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serialises concurrent calls on one guest and runs other guests alongside', async () => {
    const conn = await connect(`qemu:///embed?root=${root}`, { drivers: [driver] });
    try {
      const events: string[] = [];
      conn.on('domain-lifecycle', (e) => events.push(`${e.domain.getName()}:${e.event}`));
      const [a, b] = await Promise.all([conn.createDomainXml(xml('ja')), conn.createDomainXml(xml('jb'))]);
      await new Promise((r) => setTimeout(r, 50));
      events.length = 0;
      await Promise.all([a.suspend(), a.resume(), a.suspend(), a.resume(), b.suspend()]);
      await new Promise((r) => setTimeout(r, 50)); // core hands events to listeners on a later turn
      expect((await a.getState()).state).toBe(DomainState.RUNNING);
      expect((await b.getState()).state).toBe(DomainState.PAUSED);
      const S = DomainEventType.SUSPENDED;
      const R = DomainEventType.RESUMED;
      expect(events.filter((e) => e.startsWith('ja:'))).toEqual([`ja:${S}`, `ja:${R}`, `ja:${S}`, `ja:${R}`]);
      // Destroy while a resume is queued behind it: the resume then finds the guest stopped.
      const results = await Promise.allSettled([b.destroy(), b.resume()]);
      expect(results[0].status).toBe('fulfilled');
      expect(results[1].status).toBe('rejected');
      await a.destroy();
    } finally {
      await destroyAll(conn);
      await conn.close();
    }
  }, 120_000);
});
