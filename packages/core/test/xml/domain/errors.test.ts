import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { parseDomainXml } from '../../../src/xml/domain/index.js';
import { itRejects, MINIMAL, parseFailure, withDevices } from './helpers.js';

describe('domain XML errors', () => {
  const cases: Array<[string, string, number, string]> = [
    [
      'missing <os><type>',
      MINIMAL.replace('<type>hvm</type>', ''),
      ErrorCode.XML_ERROR,
      'XML error: an os <type> must be specified',
    ],
    [
      'missing <os>',
      MINIMAL.replace(/<os>[\s\S]*<\/os>/, ''),
      ErrorCode.XML_ERROR,
      'XML error: an os <type> must be specified',
    ],
    [
      'unknown OS type',
      MINIMAL.replace('>hvm<', '>foo<'),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: unknown OS type 'foo'",
    ],
    [
      'unknown architecture',
      MINIMAL.replace('<type>', "<type arch='foo'>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: Unknown architecture foo',
    ],
    ['missing name', MINIMAL.replace('<name>vm1</name>', ''), ErrorCode.NO_NAME, 'missing name information'],
    ['name with a slash', MINIMAL.replace('vm1', 'a/b'), ErrorCode.XML_ERROR, "XML error: name a/b cannot contain '/'"],
    [
      'wrong root element',
      "<dom type='kvm'><name>x</name></dom>",
      ErrorCode.XML_ERROR,
      "XML error: expecting root element of 'domain', not 'dom'",
    ],
    [
      'missing domain type',
      MINIMAL.replace(" type='kvm'", ''),
      ErrorCode.INTERNAL_ERROR,
      'internal error: missing domain type attribute',
    ],
    [
      'invalid domain type',
      MINIMAL.replace("type='kvm'", "type='bogus'"),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: invalid domain type bogus',
    ],
    [
      'malformed uuid',
      MINIMAL.replace('</name>', '</name><uuid>zzz</uuid>'),
      ErrorCode.INTERNAL_ERROR,
      'internal error: malformed uuid element',
    ],
    [
      'missing memory',
      MINIMAL.replace("<memory unit='MiB'>512</memory>", ''),
      ErrorCode.XML_ERROR,
      'XML error: Memory size must be specified via <memory> or in the <numa> configuration',
    ],
    [
      'memory not a number',
      MINIMAL.replace('>512<', '>abc<'),
      ErrorCode.XML_ERROR,
      "XML error: Invalid value 'abc' for element or attribute './memory[1]'",
    ],
    [
      'unknown memory unit',
      MINIMAL.replace("unit='MiB'", "unit='XB'"),
      ErrorCode.INVALID_ARG,
      "invalid argument: unknown suffix 'XB'",
    ],
    [
      'vcpu not a number',
      MINIMAL.replace('<os>', '<vcpu>x</vcpu><os>'),
      ErrorCode.XML_ERROR,
      'XML error: maximum vcpus count must be an integer',
    ],
    [
      'current vcpus above maximum',
      MINIMAL.replace('<os>', "<vcpu current='3'>2</vcpu><os>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: maximum vCPU count must not be less than current vCPU count',
    ],
    [
      'title with a newline',
      MINIMAL.replace('</name>', '</name><title>a\nb</title>'),
      ErrorCode.XML_ERROR,
      "XML error: Domain title can't contain newlines",
    ],
    [
      'unknown lifecycle action',
      MINIMAL.replace('</os>', '</os><on_reboot>foo</on_reboot>'),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: unknown on_reboot action: foo',
    ],
    [
      'disk without target',
      withDevices("<disk type='file'><source file='/a'/></disk>"),
      ErrorCode.NO_TARGET,
      'missing target information for device /a',
    ],
    [
      'bad MAC address',
      withDevices("<interface type='bridge'><mac address='zz'/><source bridge='b'/></interface>"),
      ErrorCode.XML_ERROR,
      "XML error: unable to parse mac address 'zz'",
    ],
    [
      'tcp chardev without host',
      withDevices("<serial type='tcp'><source mode='bind' service='1234'/></serial>"),
      ErrorCode.INTERNAL_ERROR,
      'internal error: Missing source host attribute for char device',
    ],
    [
      'unknown address type',
      withDevices("<disk type='file'><source file='/a'/><target dev='vda'/><address type='bogus'/></disk>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: unknown address type 'bogus'",
    ],
    [
      'duplicate controllers',
      // USB companion controllers may share an index (libvirt 9.0 accepts two usb index 0).
      withDevices("<controller type='ide' index='0'/><controller type='ide' index='0'/>"),
      ErrorCode.XML_ERROR,
      "XML error: Multiple 'ide' controllers with index '0'",
    ],
  ];

  itRejects(cases);

  it('reports malformed XML with the document name and line', () => {
    const f = parseFailure("<domain type='kvm'>\n<name>x</name>");
    expect(f.code).toBe(ErrorCode.XML_DETAIL);
    expect(f.message).toMatch(/^\(domain_definition\):\d+: /);
  });

  it('refuses entity declarations and external DTDs', () => {
    const internal = `<?xml version="1.0"?><!DOCTYPE domain [<!ENTITY x "y">]>${MINIMAL.replace('vm1', '&x;')}`;
    const external = `<?xml version="1.0"?><!DOCTYPE domain SYSTEM "file:///etc/passwd">${MINIMAL}`;
    for (const xml of [internal, external]) {
      const f = parseFailure(xml);
      expect(f.code).toBe(ErrorCode.XML_DETAIL);
      expect(f.message).toContain('entity declarations and external DTDs are not allowed');
    }
    expect(parseFailure(MINIMAL.replace('vm1', '&x;')).code).toBe(ErrorCode.XML_DETAIL);
  });

  it('rejects an empty document', () => {
    expect(parseFailure('').code).toBe(ErrorCode.XML_ERROR);
  });

  it('accepts a plain DOCTYPE and comments', () => {
    expect(parseDomainXml(`<!DOCTYPE domain><!-- c -->${MINIMAL}`).name).toBe('vm1');
  });
});
