import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, DomainState, ErrorCode, UndefineFlags } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

const SNAPSHOT = '<domainsnapshot><name>s1</name><description>first</description></domainsnapshot>';
const maskTime = (xml: string) => xml.replace(/<creationTime>\d+<\/creationTime>/, '<creationTime>T</creationTime>');

function libvirtSnapshotXml(): string | undefined {
  if (!existsSync('/usr/bin/python3')) return undefined;
  const script = `
import libvirt
d = libvirt.open('test:///default').lookupByName('test')
print(d.snapshotCreateXML(${JSON.stringify(SNAPSHOT)}, 0).getXMLDesc(0), end='')`;
  try {
    return execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined; // python3-libvirt not installed
  }
}

describe('test driver snapshots', () => {
  it("writes the same snapshot XML as libvirt's test driver", async (ctx) => {
    const theirs = libvirtSnapshotXml();
    if (theirs === undefined) ctx.skip();
    const conn = await connect('test:///default', { drivers: [driver] });
    const snap = await (await conn.lookupDomainByName('test')).createSnapshotXml(SNAPSHOT);
    expect(maskTime(await snap.getXmlDesc())).toBe(maskTime(theirs!));
    await conn.close();
  });

  it('reverts the definition and run state, and guards undefine', async () => {
    const conn = await connect('test:///default', { drivers: [driver] });
    const dom = await conn.lookupDomainByName('test');
    const snap = await dom.createSnapshotXml('<domainsnapshot><name>running</name></domainsnapshot>');
    await dom.destroy();
    await snap.revert();
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: 4 });
    await dom.destroy();
    await expectVirError(dom.undefine(), ErrorCode.OPERATION_INVALID, 'cannot delete inactive domain with 1 snapshots');
    await dom.undefine(UndefineFlags.SNAPSHOTS_METADATA);
    await conn.close();
  });
});
