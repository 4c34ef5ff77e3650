/**
 * A qemu:/// connection has no network driver of its own: core pairs it with the shared
 * @tsvirt/network driver on the same kind of URI (embed root included), as libvirt does.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, parseConnectUri } from '@tsvirt/core';
import { driver as qemuDriver } from '@tsvirt/driver-qemu';
import { driver as networkDriver } from '@tsvirt/network';
import { describe, expect, it } from 'vitest';
import { secondaryNetworkUri } from '../../packages/core/src/registry/secondary.js';
import { QEMU_BINARY } from './guest.js';

describe('the shared network driver behind qemu:///', () => {
  it('maps each hypervisor URI to its network URI', () => {
    const map = (u: string) => {
      const n = secondaryNetworkUri(parseConnectUri(u));
      return n ? `${n.scheme}://${n.path}${n.params.map(([k, v]) => `?${k}=${v}`).join('')}` : undefined;
    };
    expect(map('qemu:///system')).toBe('network:///system');
    expect(map('qemu:///session')).toBe('network:///session');
    expect(map('qemu:///embed?root=/tmp/r')).toBe('network:///embed?root=/tmp/r');
    expect(map('qemu+tcp://host/system')).toBeUndefined();
    expect(map('network:///system')).toBeUndefined();
  });

  it.skipIf(!existsSync(QEMU_BINARY))(
    'defines networks and delivers their events through a qemu:///embed connection',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-net-'));
      const conn = await connect(`qemu:///embed?root=${root}`, { drivers: [qemuDriver, networkDriver] });
      try {
        expect(conn.supports('network')).toBe(true);
        const events: number[] = [];
        conn.on('network-lifecycle', (e) => events.push(e.event));
        const net = await conn.defineNetworkXml("<network><name>lab</name><bridge name='tsvbr8'/></network>");
        expect((await conn.listAllNetworks()).map((n) => n.getName())).toEqual(['lab']);
        expect(existsSync(join(root, 'etc', 'networks', 'lab.xml'))).toBe(true);
        await net.undefine();
        await new Promise((r) => setTimeout(r, 10));
        expect(events).toEqual([0, 1]);
      } finally {
        await conn.close();
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
