/** NUMA distances/HMAT, throttle groups, IOThread mappings, nvram sources and <shim>. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { formatDomainXml, parseDomainXml } from '../../../src/xml/domain/index.js';
import { haveSchema, parseFailure, schemaErrors, zeroRandom } from './helpers.js';

const domain = (inner: string, os = '') => `<domain type='kvm'>
  <name>t</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>4194304</memory>
  <vcpu>4</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>${os}</os>
  ${inner}
</domain>`;

const parse = (xml: string) => parseDomainXml(xml, { randomBytes: zeroRandom, flags: { inactive: true } });

const NUMA = `<cpu><numa>
  <cell id='0' cpus='0-1' memory='2097152'>
    <distances><sibling id='1' value='21'/></distances>
    <cache level='1' associativity='direct' policy='writeback'>
      <size value='10' unit='KiB'/><line value='8' unit='B'/>
    </cache>
  </cell>
  <cell id='1' cpus='2-3' memory='2097152'/>
  <interconnects>
    <latency initiator='0' target='1' type='access' value='5'/>
    <bandwidth initiator='0' target='0' cache='1' type='access' value='200' unit='MiB'/>
  </interconnects>
</numa></cpu>`;

describe('NUMA cells', () => {
  it('complete the local and symmetric distances and keep caches and interconnects', () => {
    const def = parse(domain(NUMA));
    expect(def.cpu?.numa?.map((c) => c.distances)).toEqual([
      [
        { id: 0, value: 10 },
        { id: 1, value: 21 },
      ],
      [
        { id: 0, value: 21 },
        { id: 1, value: 10 },
      ],
    ]);
    expect(def.cpu?.numa?.[0]?.caches).toEqual([
      { level: 1, associativity: 'direct', policy: 'writeback', size: 10, line: 8 },
    ]);
    expect(def.cpu?.numaInterconnects?.[1]).toMatchObject({ kind: 'bandwidth', cache: 1, value: 204800 });
    const out = formatDomainXml(def, { inactive: true });
    expect(out).toContain("<bandwidth initiator='0' target='0' cache='1' type='access' value='204800' unit='KiB'/>");
    expect(formatDomainXml(parse(out), { inactive: true })).toBe(out);
    if (haveSchema) expect(schemaErrors(out)).toBe('');
  });

  it("refuse a sibling distance that is not libvirt's local one for the cell itself", () => {
    const f = parseFailure(
      domain(
        "<cpu><numa><cell id='0' cpus='0-3' memory='1024'><distances><sibling id='0' value='20'/></distances></cell></numa></cpu>",
      ),
    );
    expect(f.code).toBe(ErrorCode.XML_ERROR);
    expect(f.message).toBe("XML error: 'value 20' is invalid for 'sibling id 0' under NUMA 'cell id 0'");
  });
});

describe('throttle groups, IOThread mappings, nvram and shim', () => {
  const xml = domain(
    `<iothreads>2</iothreads>
  <throttlegroups><throttlegroup><total_bytes_sec>4000</total_bytes_sec><group_name>g0</group_name></throttlegroup></throttlegroups>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' queues='2'><iothreads><iothread id='1'><queue id='0'/></iothread><iothread id='2'/></iothreads></driver>
      <source file='/var/lib/libvirt/images/a.img'/>
      <target dev='vda' bus='virtio'/>
      <throttlefilters><throttlefilter group='g0'/></throttlefilters>
    </disk>
  </devices>`,
    `<loader readonly='yes' type='pflash'>/usr/share/OVMF_CODE.fd</loader>
    <nvram type='network'><source protocol='nbd' name='vars'><host name='example.org' port='6000'/></source></nvram>
    <kernel>/vmlinuz</kernel><shim>/shim</shim>`,
  );

  it('parse into the model and come back in the same form', () => {
    const def = parse(xml);
    expect(def.throttleGroups).toEqual([{ total_bytes_sec: '4000', group_name: 'g0' }]);
    const disk = def.devices.disks[0]!;
    expect(disk.throttleFilters).toEqual(['g0']);
    expect(disk.iothreadMapping).toEqual([
      { id: 1, queues: [0] },
      { id: 2, queues: [] },
    ]);
    expect(def.os.nvram).toMatchObject({ type: 'network', source: { protocol: 'nbd', name: 'vars' } });
    expect(def.os.shim).toBe('/shim');
    const out = formatDomainXml(def, { inactive: true });
    expect(out).toContain("<nvram type='network'>");
    expect(out).toContain('<shim>/shim</shim>');
    expect(formatDomainXml(parse(out), { inactive: true })).toBe(out);
    if (haveSchema) expect(schemaErrors(out)).toBe('');
  });
});
