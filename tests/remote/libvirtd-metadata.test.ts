/**
 * virDomainSetMetadata / virDomainGetMetadata by tsvirt's remote client on the real libvirtd 9.0
 * test driver (DOMAIN_SET_METADATA, DOMAIN_GET_METADATA, and the metadata-change event sent as
 * DOMAIN_EVENT_CALLBACK_METADATA_CHANGE): the same script run through the client and on tsvirt's
 * in-process test driver must give the same results, errors, XML and events.
 */
import { type Connection, connect, VirError } from '@tsvirt/core';
import { driver as testDriver } from '@tsvirt/driver-test';
import { driver as remoteDriver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
const U = 'http://example.com/';

/** One step: a call on the domain 'test'. */
type Step = (c: Connection) => Promise<unknown>;
const dom = (c: Connection) => c.lookupDomainByName('test');
const STEPS: Step[] = [
  async (c) => (await dom(c)).getMetadata(2, U),
  async (c) => (await dom(c)).setMetadata(2, '<app><v n="1">x</v></app>', 'ex', U, 1),
  async (c) => (await dom(c)).getMetadata(2, U),
  async (c) => (await dom(c)).getMetadata(2, U, 2),
  async (c) => (await dom(c)).setMetadata(1, 'a title', undefined, undefined, 2),
  async (c) => (await dom(c)).getMetadata(1, undefined, 2),
  async (c) => (await dom(c)).getMetadata(1),
  async (c) => (await dom(c)).setMetadata(0, 'a description'),
  async (c) => (await dom(c)).setMetadata(2, '<a>', 'ex', U),
  async (c) => (await dom(c)).setMetadata(2, '<a/>', '1x', U),
  async (c) => (await dom(c)).setMetadata(2, '<a/>', 'k', U, 8),
  async (c) => (await dom(c)).getMetadata(5),
  async (c) => (await dom(c)).getXmlDesc(0),
  async (c) => (await dom(c)).getXmlDesc(2),
  async (c) => (await dom(c)).setMetadata(2, undefined, undefined, U),
  async (c) => (await dom(c)).getXmlDesc(0),
  async (c) => (await dom(c)).destroy(),
  async (c) => (await dom(c)).setMetadata(0, 'x', undefined, undefined, 1),
  async (c) => (await dom(c)).getMetadata(0),
];

async function run(c: Connection): Promise<{ out: unknown[]; events: unknown[] }> {
  const events: unknown[] = [];
  c.on('domain-metadata-change', (e) => events.push([e.domain.getName(), e.type, e.nsuri]));
  // Let the remote client register its callbacks before anything happens.
  await new Promise((r) => setTimeout(r, 300));
  const out: unknown[] = [];
  for (const step of STEPS) {
    try {
      out.push((await step(c)) ?? null);
    } catch (e) {
      if (!(e instanceof VirError)) throw e;
      out.push({ code: e.code, domain: e.domain, message: e.message });
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  return { out, events };
}

describe.skipIf(unavailable !== undefined)('domain metadata: tsvirt client on a real libvirtd', () => {
  let daemon: Libvirtd | undefined;
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('answers, errors, XML and events equal tsvirt in-process', async () => {
    if (!daemon) throw new Error('libvirtd did not start');
    const remote = await connect(daemon.tcpUri(), { drivers: [remoteDriver] });
    const theirs = await run(remote).finally(() => remote.close());
    const local = await connect('test:///default', { drivers: [testDriver] });
    const ours = await run(local).finally(() => local.close());
    expect(theirs.out[2]).toBe('<app>\n  <v n="1">x</v>\n</app>');
    expect(ours.out).toEqual(theirs.out);
    expect(theirs.events.length).toBeGreaterThan(3);
    expect(ours.events).toEqual(theirs.events);
  });
});
