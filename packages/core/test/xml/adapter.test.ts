import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors/codes.js';
import { childText, el, parseXml, serializeElement, serializeXml, textOf } from '../../src/xml/adapter.js';

describe('XML adapter', () => {
  it('keeps element order and text', () => {
    const root = parseXml("<a x='1'><b>t&amp;u</b><c/><b>v</b></a>");
    expect(root.name).toBe('a');
    expect(root.attrs).toEqual({ x: '1' });
    expect(root.nodes.map((n) => (typeof n === 'string' ? n : n.name))).toEqual(['b', 'c', 'b']);
    expect(childText(root, 'b')).toBe('t&u');
    expect(textOf(root)).toBe('t&uv');
  });

  it("writes libvirt's layout: two-space indent, single quotes, self-closed empties, escapes", () => {
    const out = serializeXml(
      el(
        'domain',
        [
          ['type', 'test'],
          ['id', undefined],
        ],
        [el('name', [], "a'b<c>&"), el('devices', [], [el('disk', [['dev', "x'y"]])]), undefined],
      ),
    );
    expect(out).toBe(
      "<domain type='test'>\n  <name>a'b&lt;c&gt;&amp;</name>\n  <devices>\n    <disk dev='x&apos;y'/>\n  </devices>\n</domain>\n",
    );
  });

  it('re-serializes parsed subtrees', () => {
    expect(serializeElement(parseXml('<m:x xmlns:m="urn:m"><m:y a="1"/></m:x>'))).toBe(
      '<m:x xmlns:m="urn:m">\n  <m:y a="1"/>\n</m:x>\n',
    );
  });

  it('reports malformed documents with the document name and line', () => {
    expect(() => parseXml('<domain>\n<name>x</nam></domain>', { documentName: 'domain_definition' })).toThrow(
      expect.objectContaining({
        code: ErrorCode.XML_DETAIL,
        message: expect.stringMatching(/^\(domain_definition\):2: /),
      }),
    );
    expect(() => parseXml('   ')).toThrow(expect.objectContaining({ code: ErrorCode.XML_ERROR }));
  });

  it('shows the line of an unclosed start tag with a caret, naming a file when given one', () => {
    // libvirt's harness reads the file itself, so libxml2 reports the path; strings get the document name.
    expect(() => parseXml('<dom\n', { fileName: 'dir/broken.xml' })).toThrow(
      "dir/broken.xml:2: Couldn't find end of Start Tag dom line 1\n<dom\n----^",
    );
    expect(() => parseXml('<dom\n', { documentName: 'domain_definition' })).toThrow(
      "(domain_definition):2: Couldn't find end of Start Tag dom line 1\n<dom\n----^",
    );
  });

  it('refuses entity declarations and external DTDs', () => {
    const bomb = '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>';
    expect(() => parseXml(bomb)).toThrow(expect.objectContaining({ code: ErrorCode.XML_DETAIL }));
    const external = '<!DOCTYPE d SYSTEM "file:///etc/passwd"><d/>';
    expect(() => parseXml(external)).toThrow(/not allowed/);
    expect(() => parseXml('<d>&unknown;</d>')).toThrow(expect.objectContaining({ code: ErrorCode.XML_DETAIL }));
  });
});
