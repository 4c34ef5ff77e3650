/**
 * A port as the QEMU driver uses it: a real QEMU (TCG, paused) opens the tap that allocatePort
 * made on the network's bridge, by name, as libvirt's QEMU driver does (ifname=…, script=no),
 * inside the namespace; the tap gets its carrier, its floor class is on the bridge, and the
 * port is released after QEMU exits.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectUri, parseNetworkXml } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetworkConnection } from '../src/driver/connection.js';
import { driver } from '../src/driver/descriptor.js';
import { openNetworkPorts } from '../src/index.js';
import { deleteNamespace, inNs, links, newNamespace, SKIP_REASON } from './netns.js';

const HAS_QEMU = spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status === 0;

const linkFlags = (ns: string, dev: string): string[] =>
  JSON.parse(inNs(ns, ['ip', '-j', 'link', 'show', 'dev', dev]))[0].flags as string[];

async function until(check: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(SKIP_REASON !== undefined || !HAS_QEMU)('a port opened by a real QEMU', () => {
  const ns = SKIP_REASON === undefined ? newNamespace('qemu') : '';
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-qport-'));
  let qemu: ChildProcess | undefined;
  afterAll(() => {
    if (qemu?.pid && qemu.exitCode === null) qemu.kill('SIGKILL');
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('QEMU attaches to the tap on the bridge, with the floor class in place', async () => {
    const uri = `network:///embed?root=${root}`;
    const conn = (await driver.open(parseConnectUri(uri), {
      config: { netns: ns, warn: () => {} },
    })) as NetworkConnection;
    const ports = await openNetworkPorts(uri, { config: { netns: ns } });
    try {
      await conn.network.createNetwork(
        parseNetworkXml(`<network><name>vmnet</name><bridge name='tsvvm0'/>
          <bandwidth><inbound average='1000'/></bandwidth><ip address='192.168.190.1' prefix='24'/></network>`),
      );
      const port = await ports.allocatePort('vmnet', {
        mac: '52:54:00:00:19:01',
        bandwidth: { inbound: { floor: 250 } },
        owner: 'vm1',
      });
      expect(linkFlags(ns, port.ifname)).toContain('NO-CARRIER');
      // `ip netns exec` execs QEMU itself: the child's pid is QEMU's.
      qemu = spawn(
        'ip',
        [
          'netns',
          'exec',
          ns,
          'qemu-system-x86_64',
          '-machine',
          'pc,accel=tcg',
          '-m',
          '64',
          '-display',
          'none',
          '-nodefaults',
          '-no-user-config',
          '-S',
          '-netdev',
          `tap,id=hostnet0,ifname=${port.ifname},script=no,downscript=no`,
          '-device',
          'e1000,netdev=hostnet0,mac=52:54:00:00:19:01',
        ],
        { stdio: 'ignore' },
      );
      await until(() => linkFlags(ns, port.ifname).includes('LOWER_UP'));
      expect(JSON.parse(inNs(ns, ['ip', '-j', 'link', 'show', 'dev', port.ifname]))[0].master).toBe('tsvvm0');
      expect(inNs(ns, ['tc', 'class', 'show', 'dev', 'tsvvm0'])).toMatch(
        new RegExp(`class htb 1:${port.classId} parent 1:1 `),
      );

      qemu.kill('SIGTERM');
      await until(() => qemu?.exitCode !== null || qemu?.signalCode !== null);
      await until(() => linkFlags(ns, port.ifname).includes('NO-CARRIER'));
      await ports.releasePort('vmnet', port.ifname);
      expect(links(ns)).not.toContain(port.ifname);
    } finally {
      await ports.close();
      for (const ref of await conn.network.listNetworks(0)) await conn.network.destroyNetwork(ref).catch(() => {});
      await conn.close();
    }
  });
});
