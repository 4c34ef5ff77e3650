import { expect, it } from 'vitest';
import type { Connection } from '../api/connection.js';
import { CheckpointDeleteFlags, CheckpointListFlags, CheckpointXmlFlags } from '../contract/checkpoint-flags.js';
import { ErrorCode } from '../errors/codes.js';
import { parseDomainCheckpointXml } from '../xml/checkpoint/checkpoint.js';
import { expectVirError } from './expect-error.js';

/**
 * The `checkpoints` group on a running domain with a disk: create, chain, list with the tree
 * filters, look up, read the XML back, delete with and without children, and the read-only
 * refusal. Skipped unless the driver has the group, runs domains from XML, and the caller gives
 * a domain definition with a writable disk.
 */
export function checkpointConformance(
  conn: () => Connection,
  open: (o: { readOnly: boolean }) => Promise<Connection>,
  domainXml: ((name: string) => string) | undefined,
  name: () => string,
): void {
  it('creates, chains, lists, reads back and deletes checkpoints', async (ctx) => {
    const c = conn();
    if (!domainXml || !c.supports('domain.checkpoints') || !c.supports('domain.lifecycle.createXml')) ctx.skip();
    const dom = await c.createDomainXml(domainXml?.(name()) ?? '');
    try {
      const first = await dom.createCheckpointXml('<domaincheckpoint><name>first</name></domaincheckpoint>');
      expect(first.getName()).toBe('first');
      const second = await dom.createCheckpointXml('<domaincheckpoint><name>second</name></domaincheckpoint>');
      expect((await second.getParent()).getName()).toBe('first');
      await expectVirError(first.getParent(), ErrorCode.NO_DOMAIN_CHECKPOINT);
      const def = parseDomainCheckpointXml(await second.getXmlDesc(CheckpointXmlFlags.NO_DOMAIN), { redefine: true });
      expect(def).toMatchObject({ name: 'second', parent: 'first' });
      expect(def.disks?.some((d) => d.checkpoint === 'bitmap' && d.bitmap === 'second')).toBe(true);
      const names = async (flags: number) => (await dom.listAllCheckpoints(flags)).map((x) => x.getName());
      expect(await names(CheckpointListFlags.TOPOLOGICAL)).toEqual(['first', 'second']);
      expect(await names(CheckpointListFlags.ROOTS)).toEqual(['first']);
      expect(await names(CheckpointListFlags.LEAVES)).toEqual(['second']);
      expect((await first.listAllChildren()).map((x) => x.getName())).toEqual(['second']);
      await expectVirError(
        dom.createCheckpointXml('<domaincheckpoint><name>first</name></domaincheckpoint>'),
        ErrorCode.OPERATION_FAILED,
      );
      await expectVirError(dom.checkpointLookupByName('missing'), ErrorCode.NO_DOMAIN_CHECKPOINT);
      const ro = await open({ readOnly: true });
      try {
        const roDom = await ro.lookupDomainByName(dom.getName());
        await expectVirError(roDom.createCheckpointXml('<domaincheckpoint/>'), ErrorCode.OPERATION_DENIED);
        await expectVirError((await roDom.checkpointLookupByName('first')).delete(), ErrorCode.OPERATION_DENIED);
      } finally {
        await ro.close();
      }
      await first.delete();
      await expectVirError(second.getParent(), ErrorCode.NO_DOMAIN_CHECKPOINT);
      await dom.createCheckpointXml('<domaincheckpoint><name>third</name></domaincheckpoint>');
      await second.delete(CheckpointDeleteFlags.CHILDREN);
      expect(await names(0)).toEqual([]);
    } finally {
      await dom.destroy();
    }
  });
}
