/**
 * Every network of libvirt's firewall golden data, applied for real with nft and iptables inside
 * a network namespace (its bridge and forward device created first), then removed with the
 * recorded undo commands: the kernel accepts every generated command, and removal leaves only
 * libvirt's private chains behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNetworkXml } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT } from '../../../tools/conformance/registry.js';
import { Host } from '../src/driver/host.js';
import { FIREWALL_BACKENDS, firewallTransactions, runTransactions, runUndo } from '../src/index.js';
import { deleteNamespace, firewallSnapshot, inNs, newNamespace, SKIP_REASON } from './netns.js';

const DIR = join(process.env.TSVIRT_CONFORMANCE_DATA ?? DEFAULT_DATA_ROOT, 'networkxml2firewalldata');
const CASES = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.xml')) : [];
const skip = SKIP_REASON ?? (CASES.length === 0 ? `no golden data at ${DIR}` : undefined);

describe.skipIf(skip !== undefined)('generated firewall commands on the real nft and iptables', () => {
  const namespaces: string[] = [];
  afterAll(() => {
    for (const n of namespaces) deleteNamespace(n);
  });

  for (const file of CASES) {
    for (const backend of FIREWALL_BACKENDS) {
      it(`${file} (${backend})`, async () => {
        const def = parseNetworkXml(readFileSync(join(DIR, file), 'utf8'));
        const ns = newNamespace('fw');
        namespaces.push(ns);
        const bridge = def.bridge?.name ?? '';
        expect(bridge).not.toBe('');
        inNs(ns, ['ip', 'link', 'add', bridge, 'type', 'bridge']);
        const physdev = def.forward?.interfaces[0]?.dev;
        if (physdev) inNs(ns, ['ip', 'link', 'add', physdev, 'type', 'veth', 'peer', 'name', 'tsvpeer']);
        const host = new Host(ns);
        const exec = (argv: readonly string[]) => host.run(argv);

        // The private chains, made by a first run and left in place, are the baseline.
        await runUndo(await runTransactions(firewallTransactions(def, backend), exec), exec);
        const baseline = firewallSnapshot(ns);
        expect(baseline).not.toContain(bridge);

        const undo = await runTransactions(firewallTransactions(def, backend), exec);
        const applied = firewallSnapshot(ns);
        expect(applied).toContain(bridge);
        if (physdev) expect(applied).toContain(physdev);
        await runUndo(undo, exec);
        expect(firewallSnapshot(ns)).toBe(baseline);
      });
    }
  }
});

describe.skipIf(skip === undefined)('generated firewall commands on the real nft and iptables', () => {
  it.skip(`skipped: ${skip}`, () => {});
});
