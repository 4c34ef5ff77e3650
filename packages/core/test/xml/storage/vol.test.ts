import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { formatStorageVolXml, parseStoragePoolXml, parseStorageVolXml } from '../../../src/xml/storage/index.js';
import { fixture, goldenDocs, HAVE_DATA, HAVE_SCHEMAS, HAVE_XMLLINT, relaxngErrors } from '../network/helpers.js';

const dirPool = parseStoragePoolXml(
  "<pool type='dir'><name>default-pool</name><target><path>/default-pool</path></target></pool>",
);

describe('storage volume XML', () => {
  it('scales sizes to bytes, defaults allocation to capacity and the format to the pool default', () => {
    const vol = parseStorageVolXml("<volume><name>v</name><capacity unit='G'>5</capacity></volume>", dirPool);
    expect(vol.capacity).toBe(5 * 1024 ** 3);
    expect(vol.allocation).toBe(vol.capacity);
    expect(formatStorageVolXml(vol, dirPool)).toBe(`<volume type='file'>
  <name>v</name>
  <capacity unit='bytes'>5368709120</capacity>
  <allocation unit='bytes'>5368709120</allocation>
  <target>
    <format type='raw'/>
  </target>
</volume>
`);
  });

  it('writes no format for pools without volume formats, partition types for disk pools', () => {
    const lvm = { type: 'logical' as const };
    expect(
      formatStorageVolXml(parseStorageVolXml('<volume><name>v</name><capacity>1</capacity></volume>', lvm), lvm),
    ).not.toContain('format');
    const disk = { type: 'disk' as const };
    expect(
      formatStorageVolXml(parseStorageVolXml('<volume><name>v</name><capacity>1</capacity></volume>', disk), disk),
    ).toContain("<format type='none'/>");
  });

  it("matches what the test driver prints after vol-create (key and path are the driver's)", () => {
    const vol = parseStorageVolXml(fixture('storage', 'test-vol-create.xml'), dirPool);
    vol.key = '/default-pool/disk1.qcow2';
    vol.target = { ...vol.target, path: '/default-pool/disk1.qcow2' };
    const expected = fixture('storage', 'test-vol-dumpxml.xml');
    expect(formatStorageVolXml(vol, dirPool)).toBe(expected);
    expect(formatStorageVolXml(parseStorageVolXml(expected, dirPool), dirPool)).toBe(expected);
  });

  it.each([
    ['<volume><capacity>1</capacity></volume>', ErrorCode.XML_ERROR, 'XML error: missing volume name element'],
    ['<volume><name>v</name></volume>', ErrorCode.XML_ERROR, 'XML error: missing capacity element'],
    [
      '<volume><name>v</name><capacity>abc</capacity></volume>',
      ErrorCode.XML_ERROR,
      'XML error: malformed capacity element',
    ],
    [
      "<volume><name>v</name><capacity unit='XB'>1</capacity></volume>",
      ErrorCode.INVALID_ARG,
      "invalid argument: unknown suffix 'XB'",
    ],
    [
      "<volume><name>v</name><capacity>1</capacity><target><format type='zzz'/></target></volume>",
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: unknown volume format type zzz',
    ],
    [
      '<volume><name>v</name><capacity>1</capacity><target><compat>x</compat></target></volume>',
      ErrorCode.XML_ERROR,
      "XML error: forbidden characters in 'compat' attribute",
    ],
    [
      '<volume><name>v</name><capacity>1</capacity><target><features><foo/></features></target></volume>',
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: unsupported feature foo',
    ],
    [
      '<volume><name>v</name><capacity>1</capacity><allocation>zz</allocation></volume>',
      ErrorCode.XML_ERROR,
      'XML error: malformed capacity element',
    ],
    ['<foo/>', ErrorCode.XML_ERROR, "XML error: expecting root element of 'volume', not 'foo'"],
  ])('rejects %s with libvirt wording', (xml, code, message) => {
    expect(() => parseStorageVolXml(xml, dirPool)).toThrow(expect.objectContaining({ code, message }));
  });

  it('lets capacity be omitted with the no-capacity flag', () => {
    expect(
      parseStorageVolXml('<volume><name>v</name></volume>', dirPool, { noCapacity: true }).capacity,
    ).toBeUndefined();
    expect(() => parseStorageVolXml('<volume><name>v</name>', dirPool)).toThrow(
      expect.objectContaining({
        code: ErrorCode.XML_DETAIL,
        message: expect.stringMatching(/^\(storage_volume_definition\)/),
      }),
    );
  });

  it.skipIf(!HAVE_DATA || !HAVE_SCHEMAS || !HAVE_XMLLINT)('formatter output validates against storagevol.rng', () => {
    const names = [
      'vol-file',
      'vol-file-backing',
      'vol-qcow2-encryption',
      'vol-luks',
      'vol-qcow2-clusterSize',
      'vol-gluster-dir',
    ];
    const docs = goldenDocs('storagevolxml2xmlin', names).map((xml) =>
      formatStorageVolXml(parseStorageVolXml(xml, dirPool), dirPool),
    );
    const vol = parseStorageVolXml(fixture('storage', 'test-vol-create.xml'), dirPool);
    vol.source = { extents: [{ path: '/dev/sda', start: 0, end: 512 }] };
    vol.target = { ...vol.target, timestamps: { atime: '1341933637.273190990', mtime: '1341930622' } };
    docs.push(formatStorageVolXml(vol, dirPool));
    docs.push(
      formatStorageVolXml(
        parseStorageVolXml(
          `<volume><name>c</name><capacity>1</capacity><target><format type='raw'/>
          <encryption format='luks'><secret type='passphrase' usage='u'/><cipher name='aes' size='256' mode='cbc' hash='sha256'/>
          <ivgen name='plain64' hash='sha256'/></encryption></target></volume>`,
          dirPool,
        ),
        dirPool,
      ),
    );
    expect(relaxngErrors('storagevol.rng', docs)).toBe('');
  });
});
