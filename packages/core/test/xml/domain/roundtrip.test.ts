import { describe, expect, it } from 'vitest';
import { formatDomainXml, parseDomainXml } from '../../../src/xml/domain/index.js';
import { MINIMAL, RICH_DOMAIN, zeroRandom } from './helpers.js';

const TEST_DOMAIN = `<domain type='test' id='1'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory unit='KiB'>8388608</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/diskimage1'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </disk>
    <interface type='network'>
      <mac address='aa:bb:cc:dd:ee:ff'/>
      <source network='default'/>
      <target dev='testnet0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </interface>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </memballoon>
  </devices>
</domain>
`;

describe('domain XML round trip', () => {
  it("gives back the test driver's default domain unchanged, live and inactive", () => {
    const def = parseDomainXml(TEST_DOMAIN);
    expect(def.id).toBe(1);
    expect(def.memory).toBe(8388608);
    expect(def.currentMemory).toBe(2097152);
    expect(def.vcpu).toEqual({ count: 2, placement: 'static' });
    expect(formatDomainXml(def)).toBe(TEST_DOMAIN);
    expect(formatDomainXml(def, { inactive: true })).toBe(TEST_DOMAIN.replace(" id='1'", ''));
  });

  it('gives back a richer canonical domain unchanged', () => {
    const def = parseDomainXml(RICH_DOMAIN);
    expect(formatDomainXml(def, { secure: true })).toBe(RICH_DOMAIN);
    // Formatting again from a re-parse is stable.
    expect(formatDomainXml(parseDomainXml(formatDomainXml(def)))).toBe(formatDomainXml(def));
  });

  it('does not change the definition it formats', () => {
    const def = parseDomainXml(RICH_DOMAIN);
    const before = JSON.stringify(def);
    formatDomainXml(def, { inactive: true });
    formatDomainXml(def, { secure: true });
    expect(JSON.stringify(def)).toBe(before);
  });
});

describe("libvirt's defaults", () => {
  it('fills in what a minimal definition leaves out', () => {
    const def = parseDomainXml(MINIMAL, { defaultArch: 'x86_64' });
    expect(def.memory).toBe(524288);
    expect(def.currentMemory).toBe(524288);
    expect(def.vcpu.count).toBe(1);
    expect(def.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(def.id).toBe(-1);
    const out = formatDomainXml(def);
    expect(out).toBe(`<domain type='kvm'>
  <name>vm1</name>
  <uuid>${def.uuid}</uuid>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>
`);
  });

  it('generates a different UUID each time one is missing', () => {
    expect(parseDomainXml(MINIMAL).uuid).not.toBe(parseDomainXml(MINIMAL).uuid);
  });

  it('clamps currentMemory to memory and converts units', () => {
    const def = parseDomainXml(
      MINIMAL.replace(
        "<memory unit='MiB'>512</memory>",
        "<memory unit='G'>1</memory><currentMemory unit='GiB'>2</currentMemory>",
      ),
    );
    expect(def.memory).toBe(1048576);
    expect(def.currentMemory).toBe(1048576);
    const bytes = parseDomainXml(MINIMAL.replace("unit='MiB'>512", "unit='b'>1000"));
    expect(bytes.memory).toBe(1); // rounded up to whole KiB
  });

  it('guesses disk buses from target names and adds drive addresses and controllers', () => {
    const xml = MINIMAL.replace(
      '</os>',
      `</os>
  <devices>
    <disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/></disk>
    <disk type='file'><source file='/a.img'/><target dev='hdc'/></disk>
    <disk type='file'><source file='/b.img'/><target dev='sdb'/></disk>
  </devices>`,
    );
    const def = parseDomainXml(xml);
    expect(def.devices.disks.map((d) => d.target.bus)).toEqual(['fdc', 'ide', 'scsi']);
    expect(def.devices.disks[1]!.info.address).toEqual({ type: 'drive', controller: 0, bus: 1, target: 0, unit: 0 });
    expect(def.devices.disks[2]!.info.address).toEqual({ type: 'drive', controller: 0, bus: 0, target: 0, unit: 1 });
    expect(def.devices.controllers.map((c) => `${c.type}${c.index}`)).toEqual(['scsi0', 'fdc0', 'ide0']);
  });

  it('generates a MAC with the 52:54:00 prefix when none is given', () => {
    const xml = MINIMAL.replace(
      '</os>',
      "</os><devices><interface type='bridge'><source bridge='br0'/></interface></devices>",
    );
    expect(parseDomainXml(xml).devices.interfaces[0]!.mac.address).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(parseDomainXml(xml, { randomBytes: zeroRandom }).devices.interfaces[0]!.mac.address).toBe(
      '52:54:00:00:00:00',
    );
  });

  it('makes the first console the first serial port on x86 guests', () => {
    const xml = MINIMAL.replace('</os>', "</os><devices><console type='pty'/></devices>");
    const def = parseDomainXml(xml);
    expect(def.devices.serials).toHaveLength(1);
    expect(def.devices.consoles[0]!.target).toEqual({ type: 'serial', port: 0 });
  });
});

describe('live and secure data', () => {
  const vnc = MINIMAL.replace("<domain type='kvm'>", "<domain type='kvm' id='7'>").replace(
    '</os>',
    "</os><devices><graphics type='vnc' port='5901' autoport='no' passwd='s3cret'/></devices>",
  );

  it('writes id only for a live definition', () => {
    const def = parseDomainXml(vnc);
    expect(formatDomainXml(def)).toContain("<domain type='kvm' id='7'>");
    expect(formatDomainXml(def, { inactive: true })).toContain("<domain type='kvm'>\n");
    expect(parseDomainXml(vnc, { flags: { inactive: true } }).id).toBe(-1);
  });

  it('omits graphics passwords unless secure', () => {
    const def = parseDomainXml(vnc);
    expect(formatDomainXml(def)).not.toContain('passwd');
    expect(formatDomainXml(def, { secure: true })).toContain(
      "<graphics type='vnc' port='5901' autoport='no' passwd='s3cret'>",
    );
  });

  it('drops hypervisor-chosen interface names from the persistent form', () => {
    const xml = MINIMAL.replace(
      '</os>',
      "</os><devices><interface type='network'><source network='default'/><target dev='vnet3'/></interface></devices>",
    );
    // A running domain (id >= 0) shows the name; a definition with id -1 is formatted inactive.
    const def = parseDomainXml(xml.replace("<domain type='kvm'>", "<domain type='kvm' id='3'>"));
    expect(formatDomainXml(def)).toContain("<target dev='vnet3'/>");
    expect(formatDomainXml(def, { inactive: true })).not.toContain('vnet3');
  });
});
