import { connect, DomainEventDetail, DomainEventType, type DomainLifecycleEvent } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

describe('test driver events', () => {
  it("emits libvirt's lifecycle events and details, in order", async () => {
    const conn = await connect('test:///default', { drivers: [driver] });
    const seen: Array<[string, number, number]> = [];
    conn.on('domain-lifecycle', (e: DomainLifecycleEvent) => seen.push([e.domain.getName(), e.event, e.detail]));
    const dom = await conn.lookupDomainByName('test');
    await dom.suspend();
    await dom.resume();
    await dom.reboot();
    await dom.shutdown();
    await dom.create();
    await dom.destroy();
    const t3 = await conn.createDomainXml(
      "<domain type='test'><name>t3</name><memory>1024</memory><os><type>hvm</type></os></domain>",
    );
    await t3.destroy();
    await dom.undefine();
    await new Promise((r) => setTimeout(r, 20));
    const E = DomainEventType;
    const D = DomainEventDetail;
    expect(seen).toEqual([
      ['test', E.SUSPENDED, D.SUSPENDED.PAUSED],
      ['test', E.RESUMED, D.RESUMED.UNPAUSED],
      ['test', E.STOPPED, D.STOPPED.SHUTDOWN],
      ['test', E.STARTED, D.STARTED.BOOTED],
      ['test', E.STOPPED, D.STOPPED.DESTROYED],
      ['t3', E.STARTED, D.STARTED.BOOTED],
      ['t3', E.STOPPED, D.STOPPED.DESTROYED],
      ['test', E.UNDEFINED, D.UNDEFINED.REMOVED],
    ]);
    await conn.close();
  });
});
