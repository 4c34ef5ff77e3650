import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors/codes.js';
import { formatNetworkXml, parseNetworkXml, validateNetworkDef } from '../../../src/xml/network/index.js';
import {
  fixture,
  goldenDocs,
  HAVE_DATA,
  HAVE_SCHEMAS,
  HAVE_VIRSH,
  HAVE_XMLLINT,
  relaxngErrors,
  virshTest,
} from './helpers.js';

const roundTrip = (xml: string) => formatNetworkXml(parseNetworkXml(xml));

describe('network XML', () => {
  it('fills in libvirt defaults: forward mode, bridge stp/delay, interface from dev, lower-case MAC', () => {
    const out = roundTrip(`<network><name>n</name><uuid>81FF0D90-C91E-6742-64DA-4A736EDB9A9B</uuid>
      <forward dev='eth0'/><bridge name='virbr9'/><mac address='52:54:00:AB:CD:EF'/>
      <ip address='10.0.0.1' prefix='24'/></network>`);
    expect(out).toBe(`<network>
  <name>n</name>
  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
  <forward dev='eth0' mode='nat'>
    <interface dev='eth0'/>
  </forward>
  <bridge name='virbr9' stp='on' delay='0'/>
  <mac address='52:54:00:ab:cd:ef'/>
  <ip address='10.0.0.1' prefix='24'>
  </ip>
</network>
`);
  });

  it('generates a v4 UUID when none is given', () => {
    expect(parseNetworkXml('<network><name>n</name></network>').uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('escapes names and keeps title, description, metadata and dnsmasq options', () => {
    const xml = `<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
  <name>q"x'y&gt;</name>
  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
  <title>A title</title>
  <description>d &amp; "q"</description>
  <metadata><app:x xmlns:app="urn:app">1</app:x><plain/></metadata>
  <dnsmasq:options><dnsmasq:option value='foo=bar'/></dnsmasq:options>
</network>`;
    expect(roundTrip(xml)).toBe(`<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
  <name>q&quot;x&apos;y&gt;</name>
  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
  <title>A title</title>
  <description>d &amp; &quot;q&quot;</description>
  <metadata>
    <app:x xmlns:app="urn:app">1</app:x>
  </metadata>
  <bridge stp='on' delay='0'/>
  <dnsmasq:options>
    <dnsmasq:option value='foo=bar'/>
  </dnsmasq:options>
</network>
`);
  });

  it('writes live-only data unless inactive is asked for', () => {
    const def =
      parseNetworkXml(`<network connections='3'><name>h</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
      <forward mode='hostdev' managed='yes'><pf dev='eth2'/></forward></network>`);
    def.forward!.interfaces.push({ dev: 'eth2v0', connections: 1 });
    expect(formatNetworkXml(def)).toContain("<network connections='3'>");
    expect(formatNetworkXml(def)).toContain("<interface dev='eth2v0' connections='1'/>");
    const inactive = formatNetworkXml(def, { inactive: true });
    expect(inactive).not.toContain('connections');
    expect(inactive).not.toContain('<interface');
  });

  it.each([
    ['<network/>', ErrorCode.NO_NAME, 'missing name information'],
    ['<foo/>', ErrorCode.XML_ERROR, "XML error: expecting root element of 'network', not 'foo'"],
    [
      '<network><name>n</name><uuid>1234</uuid></network>',
      ErrorCode.INTERNAL_ERROR,
      'internal error: malformed uuid element',
    ],
    [
      "<network><name>n</name><forward mode='nat'/></network>",
      ErrorCode.XML_ERROR,
      "XML error: nat forwarding requested, but no IP address provided for network 'n'",
    ],
    [
      "<network><name>n</name><forward mode='foo'/></network>",
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: unknown forwarding type 'foo'",
    ],
    [
      "<network><name>n</name><mac address='zz:54:00:17:3F:37'/></network>",
      ErrorCode.XML_ERROR,
      "XML error: Invalid bridge mac address 'zz:54:00:17:3F:37' in network 'n'",
    ],
    [
      "<network><name>n</name><ip netmask='255.255.255.0'/></network>",
      ErrorCode.XML_ERROR,
      "XML error: Missing required address attribute in network 'n'",
    ],
    [
      "<network><name>n</name><ip address='1.2.3.x'/></network>",
      ErrorCode.XML_ERROR,
      "XML error: Invalid address '1.2.3.x' in network 'n'",
    ],
    [
      "<network><name>n</name><ip address='192.168.1.1' netmask='255.255.255.0'><dhcp><range start='192.168.1.30' end='192.168.1.20'/></dhcp></ip></network>",
      ErrorCode.INTERNAL_ERROR,
      'internal error: range 192.168.1.30 - 192.168.1.20 is reversed ',
    ],
    [
      "<network><name>n</name><ip address='192.168.1.1' netmask='255.255.255.0'><dhcp><range start='192.168.2.2' end='192.168.1.20'/></dhcp></ip></network>",
      ErrorCode.INTERNAL_ERROR,
      'internal error: range 192.168.2.2 - 192.168.1.20 is not entirely within network 192.168.1.1/24',
    ],
    [
      "<network><name>n</name><forward mode='bridge'/><bridge name='br0'/><virtualport type='foo'/></network>",
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: unknown virtualport type foo',
    ],
  ])('rejects %s with libvirt wording', (xml, code, message) => {
    expect(() => parseNetworkXml(xml)).toThrow(expect.objectContaining({ code, message }));
  });

  it('reports malformed XML as XML_DETAIL naming the document', () => {
    expect(() => parseNetworkXml('<network><name>x</name>')).toThrow(
      expect.objectContaining({
        code: ErrorCode.XML_DETAIL,
        message: expect.stringMatching(/^\(network_definition\)/),
      }),
    );
    expect(() => parseNetworkXml('<network><name>x</name></network>')).not.toThrow();
  });

  it('uses the network error domain for content errors', () => {
    expect(() => parseNetworkXml('<network/>')).toThrow(expect.objectContaining({ domain: ErrorDomain.NETWORK }));
  });

  it('validates like the network driver', () => {
    const def = parseNetworkXml(`<network><name>p</name><forward mode='passthrough'>
      <address type='pci' domain='0x0000' bus='0x11' slot='0x10' function='0x1'/></forward></network>`);
    expect(() => validateNetworkDef(def)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIG_UNSUPPORTED }));
  });

  it('parses and formats the test driver default network exactly as virsh prints it', () => {
    const xml = fixture('network', 'test-default-network.xml');
    expect(roundTrip(xml)).toBe(xml);
    if (HAVE_VIRSH) expect(`${virshTest('net-dumpxml', 'default')}`).toBe(xml);
  });

  it.skipIf(!HAVE_DATA || !HAVE_SCHEMAS || !HAVE_XMLLINT)('formatter output validates against network.rng', () => {
    const docs = goldenDocs('networkxml2xmlout').map(roundTrip);
    docs.push(roundTrip(fixture('network', 'test-default-network.xml')));
    docs.push(
      roundTrip(`<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>r</name>
      <title>t</title><description>d</description>
      <forward mode='route'/><domain name='example.org' localOnly='yes'/>
      <bandwidth><inbound average='1000' peak='5000' burst='1024'/><outbound average='128'/></bandwidth>
      <dns><txt name='example' value='v'/><forwarder addr='8.8.8.8'/></dns>
      <ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><host id='00:03:00:01:52:54:00:aa:bb:cc' name='h' ip='2001:db8::10'/></dhcp></ip>
      <ip address='10.1.1.1' prefix='24' localPtr='yes'><tftp root='/srv/tftp'/></ip>
      <route address='192.168.222.0' prefix='24' gateway='10.1.1.2' metric='2'/>
      <dnsmasq:options><dnsmasq:option value='x=y'/></dnsmasq:options></network>`),
    );
    expect(relaxngErrors('network.rng', docs)).toBe('');
  });
});
