import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, DomainState, ErrorCode } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { driver } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirt-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('test:///PATH/node.xml', () => {
  it('loads the host, inline objects and objects from files beside the node file', async () => {
    writeFileSync(
      join(dir, 'guest.xml'),
      "<domain type='test'><name>fromfile</name><memory>1024</memory><os><type>hvm</type></os></domain>",
    );
    writeFileSync(
      join(dir, 'node.xml'),
      `<node xmlns:test='http://libvirt.org/schemas/domain/test'>
  <cpu><mhz>6000</mhz><model>i986</model><active>50</active><nodes>4</nodes><sockets>4</sockets><cores>4</cores><threads>2</threads></cpu>
  <memory>8192000</memory>
  <domain type='test'><name>fc4</name><memory>261072</memory><os><type>xen</type></os></domain>
  <domain type='test'><name>off</name><memory>1024</memory><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>
  <domain file='guest.xml'/>
  <pool type='dir'><name>p</name><target><path>/p</path></target>
    <volume><name>v.img</name><capacity>4096</capacity></volume>
  </pool>
</node>`,
    );
    const conn = await connect(`test://${join(dir, 'node.xml')}`, { drivers: [driver] });
    try {
      expect(await conn.getNodeInfo()).toEqual({
        model: 'i986',
        memory: 8192000,
        cpus: 50,
        mhz: 6000,
        nodes: 4,
        sockets: 4,
        cores: 4,
        threads: 2,
      });
      const fc4 = await conn.lookupDomainByName('fc4');
      expect(fc4.getID()).toBe(1);
      expect((await (await conn.lookupDomainByName('off')).getState()).state).toBe(DomainState.SHUTOFF);
      expect((await (await conn.lookupDomainByName('fromfile')).getState()).state).toBe(DomainState.RUNNING);
      const vol = await (await conn.lookupStoragePoolByName('p')).lookupVolumeByName('v.img');
      expect(await vol.getPath()).toBe('/p/v.img');
      expect(conn.getUri()).toBe(`test://${join(dir, 'node.xml')}`);
    } finally {
      await conn.close();
    }
  });

  it('gives each connection its own copy of a node file host', async () => {
    const uri = `test://${join(dir, 'node.xml')}`;
    const a = await connect(uri, { drivers: [driver] });
    const b = await connect(uri, { drivers: [driver] });
    await (await a.lookupDomainByName('fc4')).destroy();
    expect(await (await b.lookupDomainByName('fc4')).isActive()).toBe(true);
    await a.close();
    await b.close();
  });

  it('reports missing or malformed node files as XML errors', async () => {
    await expect(connect(`test://${join(dir, 'missing.xml')}`, { drivers: [driver] })).rejects.toMatchObject({
      code: ErrorCode.XML_ERROR,
      message: `XML error: failed to parse xml document '${join(dir, 'missing.xml')}'`,
    });
    writeFileSync(join(dir, 'bad.xml'), '<node><bad');
    await expect(connect(`test://${join(dir, 'bad.xml')}`, { drivers: [driver] })).rejects.toMatchObject({
      code: ErrorCode.XML_DETAIL,
    });
  });
});
