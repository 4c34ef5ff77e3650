/**
 * Conformance of the optional host-interface group (virInterface*): listing and lookups agree,
 * definitions round-trip, up/down is seen, transactions roll back, read-only refuses writes.
 */
import { expect, it } from 'vitest';
import type { Connection } from '../api/connection.js';
import type { Interface } from '../api/interface.js';
import { ListInterfacesFlags } from '../contract/interfaces.js';
import { ErrorCode } from '../errors/codes.js';
import { isVirError } from '../errors/vir-error.js';
import { formatHostInterfaceXml } from '../xml/interface/format.js';
import { parseHostInterfaceXml } from '../xml/interface/parse.js';
import { expectVirError } from './expect-error.js';

/** The listing; undefined when the connection declares the group but the other end lacks it. */
async function listing(conn: Connection, flags = 0): Promise<Interface[] | undefined> {
  try {
    return await conn.listAllInterfaces(flags);
  } catch (e) {
    if (isVirError(e) && e.code === ErrorCode.NO_SUPPORT) return undefined;
    throw e;
  }
}

/** A locally administered MAC from a counter, unlikely to be on any host. */
const macOf = (n: number) =>
  `02:7a:${[n >> 16, n >> 8, n].map((b) => (b & 0xff).toString(16).padStart(2, '0')).join(':')}:01`;
const ethernetXml = (name: string, mac: string) =>
  `<interface type='ethernet' name='${name}'><start mode='none'/><mac address='${mac}'/>` +
  `<protocol family='ipv4'><ip address='192.0.2.7' prefix='24'/></protocol></interface>`;

export function interfaceConformance(
  conn: () => Connection,
  opts: { open(options: { readOnly: boolean }): Promise<Connection>; uniqueName(prefix: string): string },
): void {
  let macs = process.pid & 0xffff;
  const next = () => ({ name: opts.uniqueName('if').slice(-15), mac: macOf(++macs) });

  it('interfaces: listings, lookups by name and MAC, and XML agree', async (ctx) => {
    const c = conn();
    if (!c.supports('interface')) return ctx.skip();
    const all = await listing(c);
    if (!all) return ctx.skip();
    const active = new Set((await c.listAllInterfaces(ListInterfacesFlags.ACTIVE)).map((i) => i.getName()));
    const inactive = new Set((await c.listAllInterfaces(ListInterfacesFlags.INACTIVE)).map((i) => i.getName()));
    expect(active.size + inactive.size).toBe(all.length);
    expect(await c.numOfInterfaces()).toBe(active.size);
    expect(await c.numOfDefinedInterfaces()).toBe(inactive.size);
    for (const i of all) {
      const found = await c.lookupInterfaceByName(i.getName());
      expect(found.getMACString()).toBe(i.getMACString());
      expect(await i.isActive()).toBe(active.has(i.getName()));
      const def = parseHostInterfaceXml(await i.getXMLDesc());
      expect(def.name).toBe(i.getName());
    }
    await expectVirError(c.lookupInterfaceByName(opts.uniqueName('noif')), ErrorCode.NO_INTERFACE);
  });

  it('interfaces: define, start, stop and undefine', async (ctx) => {
    const c = conn();
    if (!c.supports('interface.defineInterface') || !(await listing(c))) return ctx.skip();
    const { name, mac } = next();
    const xml = ethernetXml(name, mac);
    const iface = await c.defineInterfaceXml(xml);
    try {
      expect(iface.getName()).toBe(name);
      expect(iface.getMACString()).toBe(mac);
      expect(await iface.getXMLDesc()).toBe(formatHostInterfaceXml(parseHostInterfaceXml(xml)));
      expect((await c.lookupInterfaceByMACString(mac)).getName()).toBe(name);
      expect(await iface.isActive()).toBe(false);
      await iface.create();
      expect(await iface.isActive()).toBe(true);
      await iface.destroy();
      expect(await iface.isActive()).toBe(false);
    } finally {
      await iface.undefine();
    }
    await expectVirError(c.lookupInterfaceByName(name), ErrorCode.NO_INTERFACE);
  });

  it('interfaces: a rollback undoes a define, a commit keeps it', async (ctx) => {
    const c = conn();
    if (!c.supports('interface.changeBegin') || !c.supports('interface.defineInterface') || !(await listing(c)))
      return ctx.skip();
    const up = (await c.listAllInterfaces(ListInterfacesFlags.ACTIVE)).map((i) => i.getName());
    await expectVirError(c.interfaceChangeCommit(), ErrorCode.OPERATION_INVALID);
    const first = next();
    await c.interfaceChangeBegin();
    await c.defineInterfaceXml(ethernetXml(first.name, first.mac));
    await c.interfaceChangeRollback();
    await expectVirError(c.lookupInterfaceByName(first.name), ErrorCode.NO_INTERFACE);
    // A rollback may leave interfaces down (libvirt's test driver does): bring back what was up.
    for (const name of up) {
      const i = await c.lookupInterfaceByName(name);
      if (!(await i.isActive())) await i.create();
    }
    const second = next();
    await c.interfaceChangeBegin();
    const kept = await c.defineInterfaceXml(ethernetXml(second.name, second.mac));
    await c.interfaceChangeCommit();
    expect((await c.lookupInterfaceByName(second.name)).getName()).toBe(second.name);
    await kept.undefine();
  });

  it('interfaces: a read-only connection refuses every change', async (ctx) => {
    if (!conn().supports('interface')) return ctx.skip();
    const ro = await opts.open({ readOnly: true });
    try {
      const all = await listing(ro);
      if (!all) return ctx.skip();
      const { name, mac } = next();
      await expectVirError(ro.defineInterfaceXml(ethernetXml(name, mac)), ErrorCode.OPERATION_DENIED);
      await expectVirError(ro.interfaceChangeBegin(), ErrorCode.OPERATION_DENIED);
      const first = all[0];
      if (first) {
        await expectVirError(first.undefine(), ErrorCode.OPERATION_DENIED);
        await expectVirError(first.destroy(), ErrorCode.OPERATION_DENIED);
      }
    } finally {
      await ro.close();
    }
  });
}
