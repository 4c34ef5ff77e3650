import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors/codes.js';
import { formatStoragePoolXml, parseStoragePoolXml } from '../../../src/xml/storage/index.js';
import {
  fixture,
  goldenDocs,
  HAVE_DATA,
  HAVE_SCHEMAS,
  HAVE_VIRSH,
  HAVE_XMLLINT,
  relaxngErrors,
  virshTest,
} from '../network/helpers.js';

describe('storage pool XML', () => {
  it('drops run-time sizes and free extents, fills source defaults, cleans paths', () => {
    const def =
      parseStoragePoolXml(`<pool type='logical'><name>vg</name><uuid>1c13165a-d0f4-3aee-b447-30fb38789091</uuid>
      <capacity>99</capacity><source><device path='/dev/sdb1'/></source>
      <target><permissions><mode>0700</mode><owner>-1</owner></permissions></target></pool>`);
    expect(def.capacity).toBeUndefined();
    expect(formatStoragePoolXml(def)).toBe(`<pool type='logical'>
  <name>vg</name>
  <uuid>1c13165a-d0f4-3aee-b447-30fb38789091</uuid>
  <capacity unit='bytes'>0</capacity>
  <allocation unit='bytes'>0</allocation>
  <available unit='bytes'>0</available>
  <source>
    <device path='/dev/sdb1'/>
    <name>vg</name>
    <format type='lvm2'/>
  </source>
  <target>
    <path>/dev/vg</path>
    <permissions>
      <mode>0700</mode>
    </permissions>
  </target>
</pool>
`);
    const dir = parseStoragePoolXml(
      "<pool type='dir'><name>d</name><target><path>///var//lib/x//</path></target></pool>",
    );
    expect(dir.target?.path).toBe('/var/lib/x');
  });

  it('keeps sizes when asked (state files)', () => {
    const xml = fixture('storage', 'test-default-pool.xml');
    expect(parseStoragePoolXml(xml, { keepSizes: true }).capacity).toBe(107374182400);
  });

  it('parses and formats the test driver default pool exactly as virsh prints it', () => {
    const xml = fixture('storage', 'test-default-pool.xml');
    expect(formatStoragePoolXml(parseStoragePoolXml(xml, { keepSizes: true }))).toBe(xml);
    if (HAVE_VIRSH) expect(virshTest('pool-dumpxml', 'default-pool')).toBe(xml);
  });

  it.each([
    [
      "<pool type='foo'><name>p</name></pool>",
      ErrorCode.XML_ERROR,
      "XML error: Invalid value for attribute 'type' in element 'pool': 'foo'.",
    ],
    [
      '<pool><name>a</name></pool>',
      ErrorCode.XML_ERROR,
      "XML error: Missing required attribute 'type' in element 'pool'",
    ],
    ["<pool type='dir'></pool>", ErrorCode.XML_ERROR, 'XML error: missing pool source name element'],
    ["<pool type='dir'><name>p</name></pool>", ErrorCode.XML_ERROR, 'XML error: missing storage pool target path'],
    [
      "<pool type='dir'><name>p</name><target><path>/x</path><permissions><mode>999</mode></permissions></target></pool>",
      ErrorCode.XML_ERROR,
      'XML error: malformed octal mode',
    ],
    [
      "<pool type='netfs'><name>p</name><target><path>/x</path></target></pool>",
      ErrorCode.XML_ERROR,
      'XML error: missing storage pool source host name',
    ],
    [
      "<pool type='fs'><name>p</name><source><device path='/dev/x'/><format type='zzz'/></source><target><path>/x</path></target></pool>",
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: unknown pool format type zzz',
    ],
    [
      "<pool type='dir'><name>p</name><uuid>zz</uuid><target><path>/x</path></target></pool>",
      ErrorCode.XML_ERROR,
      'XML error: malformed uuid element',
    ],
    [
      "<pool type='dir'><name>a/b</name><target><path>/x</path></target></pool>",
      ErrorCode.XML_ERROR,
      "XML error: name a/b cannot contain '/'",
    ],
    [
      "<pool type='dir'><name>p</name><target><path>/x</path><permissions><owner>abc</owner></permissions></target></pool>",
      ErrorCode.XML_ERROR,
      'XML error: malformed owner element',
    ],
    ['<foo/>', ErrorCode.XML_ERROR, "XML error: expecting root element of 'pool', not 'foo'"],
  ])('rejects %s with libvirt wording', (xml, code, message) => {
    expect(() => parseStoragePoolXml(xml)).toThrow(expect.objectContaining({ code, message }));
  });

  it('reports malformed XML as XML_DETAIL naming the document, content errors in the storage domain', () => {
    expect(() => parseStoragePoolXml("<pool type='dir'><name>p</name>")).toThrow(
      expect.objectContaining({
        code: ErrorCode.XML_DETAIL,
        message: expect.stringMatching(/^\(storage_pool_definition\)/),
      }),
    );
    expect(() => parseStoragePoolXml("<pool type='dir'></pool>")).toThrow(
      expect.objectContaining({ domain: ErrorDomain.STORAGE }),
    );
  });

  it.skipIf(!HAVE_DATA || !HAVE_SCHEMAS || !HAVE_XMLLINT)('formatter output validates against storagepool.rng', () => {
    const docs = goldenDocs('storagepoolxml2xmlin').map((xml) => formatStoragePoolXml(parseStoragePoolXml(xml)));
    docs.push(
      formatStoragePoolXml(parseStoragePoolXml(fixture('storage', 'test-default-pool.xml'), { keepSizes: true })),
    );
    docs.push(
      formatStoragePoolXml(
        parseStoragePoolXml(`<pool type='rbd' xmlns:rbd='http://libvirt.org/schemas/storagepool/rbd/1.0'>
      <name>c</name><source><name>rbd</name><host name='mon'/></source>
      <rbd:config_opts><rbd:option name='client_mount_timeout' value='45'/></rbd:config_opts></pool>`),
      ),
    );
    docs.push(
      formatStoragePoolXml(
        parseStoragePoolXml(`<pool type='dir'><name>c</name><features><cow state='no'/></features>
      <target><path>/x</path></target></pool>`),
      ),
    );
    expect(relaxngErrors('storagepool.rng', docs)).toBe('');
  });
});
