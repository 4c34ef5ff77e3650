/** Runs a parity scenario through tsvirt on test:///default, giving what libvirt_runner.py gives. */
import { type Connection, connect, isVirError } from '@tsvirt/core';
import { driver } from '@tsvirt/driver-test';

export type Step = [op: string, ...args: unknown[]];
export interface ScenarioOutcome {
  results: unknown[];
  events: unknown[];
}

type Op = (c: Connection, ...args: never[]) => Promise<unknown>;

const dom = (c: Connection, n: string) => c.lookupDomainByName(n);
const net = (c: Connection, n: string) => c.lookupNetworkByName(n);
const pool = (c: Connection, n: string) => c.lookupStoragePoolByName(n);
const names = (xs: Array<{ getName(): string }>) => xs.map((x) => x.getName()).sort();
const infoList = (i: { state: number; capacity: number; allocation: number; available: number }) => [
  i.state,
  i.capacity,
  i.allocation,
  i.available,
];

const OPS: Record<string, Op> = {
  state: async (c, n: string) => Object.values(await (await dom(c, n)).getState()),
  info: async (c, n: string) => {
    const i = await (await dom(c, n)).getInfo();
    return [i.state, i.maxMem, i.memory, i.nrVirtCpu];
  },
  id: async (c, n: string) => (await dom(c, n)).getID(),
  suspend: async (c, n: string) => (await dom(c, n)).suspend(),
  resume: async (c, n: string) => (await dom(c, n)).resume(),
  reboot: async (c, n: string) => (await dom(c, n)).reboot(),
  shutdown: async (c, n: string) => (await dom(c, n)).shutdown(),
  destroy: async (c, n: string) => (await dom(c, n)).destroy(),
  create: async (c, n: string) => (await dom(c, n)).create(),
  undefine: async (c, n: string) => (await dom(c, n)).undefine(),
  isActive: async (c, n: string) => (await dom(c, n)).isActive(),
  isPersistent: async (c, n: string) => (await dom(c, n)).isPersistent(),
  autostart: async (c, n: string) => (await dom(c, n)).getAutostart(),
  setAutostart: async (c, n: string, v: boolean) => (await dom(c, n)).setAutostart(v),
  define: async (c, x: string) => (await c.defineDomainXml(x)).getName(),
  createXML: async (c, x: string) => [(await c.createDomainXml(x)).getName()],
  lookup: async (c, n: string) => (await dom(c, n)).getName(),
  lookupId: async (c, i: number) => (await c.lookupDomainById(i)).getName(),
  lookupUuid: async (c, u: string) => (await c.lookupDomainByUuid(u)).getName(),
  list: async (c) => names(await c.listAllDomains()),
  listFlags: async (c, f: number) => names(await c.listAllDomains(f)),
  netList: async (c) => names(await c.listAllNetworks()),
  netActive: async (c, n: string) => (await net(c, n)).isActive(),
  netPersistent: async (c, n: string) => (await net(c, n)).isPersistent(),
  netDestroy: async (c, n: string) => (await net(c, n)).destroy(),
  netCreate: async (c, n: string) => (await net(c, n)).create(),
  netUndefine: async (c, n: string) => (await net(c, n)).undefine(),
  netBridge: async (c, n: string) => (await net(c, n)).getBridgeName(),
  netLookup: async (c, n: string) => (await net(c, n)).getName(),
  netDefine: async (c, x: string) => (await c.defineNetworkXml(x)).getName(),
  netCreateXML: async (c, x: string) => (await c.createNetworkXml(x)).getName(),
  poolList: async (c) => names(await c.listAllStoragePools()),
  poolInfo: async (c, n: string) => infoList(await (await pool(c, n)).getInfo()),
  poolLookup: async (c, n: string) => (await pool(c, n)).getName(),
  poolDestroy: async (c, n: string) => (await pool(c, n)).destroy(),
  poolCreate: async (c, n: string) => (await pool(c, n)).create(),
  poolUndefine: async (c, n: string) => (await pool(c, n)).undefine(),
  poolDefine: async (c, x: string) => (await c.defineStoragePoolXml(x)).getName(),
  volCreate: async (c, p: string, x: string) => (await (await pool(c, p)).createVolumeXml(x)).getName(),
  volInfo: async (c, p: string, v: string) => {
    const i = await (await (await pool(c, p)).lookupVolumeByName(v)).getInfo();
    return [i.type, i.capacity, i.allocation];
  },
  volPath: async (c, p: string, v: string) => (await (await pool(c, p)).lookupVolumeByName(v)).getPath(),
  volList: async (c, p: string) => names(await (await pool(c, p)).listAllVolumes()),
  volLookup: async (c, p: string, v: string) => (await (await pool(c, p)).lookupVolumeByName(v)).getName(),
  volByPath: async (c, p: string) => (await c.lookupStorageVolByPath(p)).getName(),
  volByKey: async (c, k: string) => (await c.lookupStorageVolByKey(k)).getName(),
  volDelete: async (c, p: string, v: string) => (await (await pool(c, p)).lookupVolumeByName(v)).delete(),
  snapCreate: async (c, d: string, s: string) =>
    (await (await dom(c, d)).createSnapshotXml(`<domainsnapshot><name>${s}</name></domainsnapshot>`)).getName(),
  snapRevert: async (c, d: string, s: string, f = 0) => {
    const domain = await dom(c, d);
    await (await domain.snapshotLookupByName(s)).revert(f);
  },
  snapList: async (c, d: string, f: number) => names(await (await dom(c, d)).listAllSnapshots(f)),
  snapListOrdered: async (c, d: string, f: number) =>
    (await (await dom(c, d)).listAllSnapshots(f)).map((s) => s.getName()),
  snapChildren: async (c, d: string, s: string, f: number) =>
    names(await (await (await dom(c, d)).snapshotLookupByName(s)).listAllChildren(f)),
  snapChildrenOrdered: async (c, d: string, s: string, f: number) =>
    (await (await (await dom(c, d)).snapshotLookupByName(s)).listAllChildren(f)).map((x) => x.getName()),
};

export async function runScenario(steps: Step[]): Promise<ScenarioOutcome> {
  const conn = await connect('test:///default', { drivers: [driver] });
  const events: unknown[] = [];
  conn.on('domain-lifecycle', (e) => events.push(['domain', e.domain.getName(), e.event, e.detail]));
  conn.on('network-lifecycle', (e) => events.push(['network', e.network.getName(), e.event, e.detail]));
  const results: unknown[] = [];
  try {
    for (const [op, ...args] of steps) {
      const fn = OPS[op];
      if (!fn) throw new Error(`unknown parity op '${op}'`);
      try {
        const value = await fn(conn, ...(args as never[]));
        results.push(['ok', value === undefined ? null : value]);
      } catch (err) {
        if (!isVirError(err)) throw err;
        results.push(['err', err.code, err.domain, err.message]);
      }
    }
    await new Promise((r) => setImmediate(r));
    return { results, events };
  } finally {
    await conn.close();
  }
}
