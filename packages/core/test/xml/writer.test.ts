import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/xml/adapter.js';
import { a, attrList, esc, XmlWriter, yn } from '../../src/xml/writer.js';

describe('XmlWriter', () => {
  it('writes libvirt layout with string and list attributes', () => {
    const w = new XmlWriter();
    w.open('pool', a('type', 'dir'));
    w.optText('name', "a'b<c>&");
    w.optText('missing', undefined);
    w.optText('nothing', null);
    w.optText(
      'capacity',
      10n,
      attrList([
        ['unit', 'bytes'],
        ['skip', undefined],
      ]),
    );
    w.empty('perm', attrList([['flag', true]]) + yn('managed', false));
    w.close('pool');
    expect(w.toString()).toBe(
      "<pool type='dir'>\n  <name>a&apos;b&lt;c&gt;&amp;</name>\n  <capacity unit='bytes'>10</capacity>\n  <perm flag='true' managed='no'/>\n</pool>\n",
    );
  });

  it('element() drops an empty body, keeping the tag only when it has attributes', () => {
    const w = new XmlWriter(1);
    w.element('source', '', () => {});
    w.element('features', a('x', 1), () => {});
    w.element('outer', '', () => w.line('<raw/>'));
    w.line('');
    expect(w.out).toBe("  <features x='1'/>\n  <outer>\n    <raw/>\n  </outer>\n\n");
  });

  it('copy() writes whitespace-only text as an empty element; raw() keeps it', () => {
    const el = { name: 'c', attrs: { k: 'v' }, nodes: ['  '] };
    const w = new XmlWriter();
    w.copy(el);
    w.raw(el);
    expect(w.out).toBe("<c k='v'/>\n<c k='v'>  </c>\n");
  });

  it('has one escaping function', () => {
    expect(escapeXml).toBe(esc);
    expect(esc(`<'&">`)).toBe('&lt;&apos;&amp;&quot;&gt;');
  });
});
