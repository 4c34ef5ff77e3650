/**
 * Lifecycle events over the wire to the real `virsh event --loop` and `virsh net-event --loop`:
 * what tsvirtd sends must print the same as what the real libvirtd sends (when it can run here),
 * and in any case the events of the commands run meanwhile, in order.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVirsh, virshAvailable } from '../cli/run-both.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';
import { listenWhile } from './virsh-listener.js';

const DOMAIN = `<domain type='test'><name>ev1</name><memory>65536</memory><os><type>hvm</type></os></domain>`;
const hasVirsh = virshAvailable();
const noLibvirtd = libvirtdUnavailable();

describe.skipIf(!hasVirsh)('virsh event --loop against tsvirtd', () => {
  let t: Tsvirtd | undefined;
  let l: Libvirtd | undefined;
  let work = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tsvirt-events-'));
    await writeFile(join(work, 'ev1.xml'), DOMAIN);
    t = await startTsvirtd();
    if (!noLibvirtd) l = await startLibvirtd();
  });
  afterAll(async () => {
    if (t) {
      await t.stop();
      await removeTsvirtdDir(t);
    }
    await l?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const domainRun = (uri: string) =>
    listenWhile(uri, ['event', '--loop', '--all', '--timeout', '3'], () =>
      runVirsh(['-c', uri, `define ${work}/ev1.xml; start ev1; suspend ev1; resume ev1; destroy ev1; undefine ev1`]),
    );
  const networkRun = (uri: string) =>
    listenWhile(uri, ['net-event', '--loop', '--event', 'lifecycle', '--timeout', '3'], () =>
      runVirsh(['-c', uri, 'net-destroy default; net-start default']),
    );

  const poolRun = (uri: string) =>
    listenWhile(uri, ['pool-event', '--loop', '--event', 'lifecycle', '--timeout', '3'], () =>
      runVirsh(['-c', uri, 'pool-destroy default-pool; pool-start default-pool']),
    );

  it('domain lifecycle events', async () => {
    const ours = await domainRun(t!.unixUri());
    expect(ours.status).toBe(0);
    expect(ours.stdout.split('\n').filter((x) => x.startsWith("event 'lifecycle'"))).toEqual([
      "event 'lifecycle' for domain 'ev1': Defined Added",
      "event 'lifecycle' for domain 'ev1': Started Booted",
      "event 'lifecycle' for domain 'ev1': Suspended Paused",
      "event 'lifecycle' for domain 'ev1': Resumed Unpaused",
      "event 'lifecycle' for domain 'ev1': Stopped Destroyed",
      "event 'lifecycle' for domain 'ev1': Undefined Removed",
    ]);
    if (l) expect(ours).toEqual(await domainRun(l.unixUri()));
  });

  it('network lifecycle events', async () => {
    const ours = await networkRun(t!.tcpUri());
    expect(ours.status).toBe(0);
    expect(ours.stdout).toMatch(/event 'lifecycle' for network default: Stopped\n.*network default: Started\n/);
    if (l) expect(ours).toEqual(await networkRun(l.tcpUri()));
  });

  it('storage pool lifecycle events', async () => {
    const ours = await poolRun(t!.unixUri());
    expect(ours.status).toBe(0);
    expect(ours.stdout).toMatch(/event 'lifecycle' for storage pool default-pool: Stopped\n.*default-pool: Started\n/);
    if (l) expect(ours).toEqual(await poolRun(l.unixUri()));
  });
});
