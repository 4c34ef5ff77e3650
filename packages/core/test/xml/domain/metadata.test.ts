/**
 * <title>, <description> and <metadata> in domain XML: libvirt's golden round trip of foreign
 * namespace elements, what parsing keeps of <metadata> (elements in a namespace, the first per
 * namespace), and the namespace handling of virDomainSetMetadata/GetMetadata on a definition.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import {
  formatDomainXml,
  getDomainMetadata,
  parseDomainXml,
  setDomainMetadata,
} from '../../../src/xml/domain/index.js';
import { SHARED, zeroRandom } from './helpers.js';

const DATA = process.env.TSVIRT_CONFORMANCE_DATA ?? join(SHARED, 'conformance', 'libvirt');
const GOLDEN_IN = join(DATA, 'qemuxmlconfdata', 'metadata.xml');
const GOLDEN_OUT = join(DATA, 'qemuxmlconfdata', 'metadata.x86_64-latest.xml');

const metadataBlock = (xml: string) => /\n {2}<metadata>\n[\s\S]*?\n {2}<\/metadata>\n/.exec(xml)?.[0];

const BASE = (inner: string) =>
  `<domain type='test'><name>m</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>${inner}<memory>1024</memory><os><type>hvm</type></os></domain>`;
const parse = (xml: string) => parseDomainXml(xml, { randomBytes: zeroRandom });

describe('domain metadata XML', () => {
  it.skipIf(!existsSync(GOLDEN_IN))("libvirt's qemuxmlconfdata/metadata round trip keeps both foreign elements", () => {
    const out = formatDomainXml(parse(readFileSync(GOLDEN_IN, 'utf8')));
    const expected = metadataBlock(readFileSync(GOLDEN_OUT, 'utf8'));
    expect(expected).toBeDefined();
    expect(metadataBlock(out)).toBe(expected);
  });

  it('keeps only namespaced elements, the first of each namespace', () => {
    const def = parse(
      BASE(
        `<metadata><plain/><x:b xmlns:x="http://x/"/><y:dup xmlns:y="http://x/"/><a:c xmlns:a="http://a/"><a:d>t</a:d></a:c></metadata>`,
      ),
    );
    expect(def.metadata?.elements.map((e) => e.name)).toEqual(['x:b', 'a:c']);
  });

  it('title and description round trip with escaping', () => {
    const def = parse(BASE('<title>T &amp; U</title><description>multi\nline &lt;b&gt;</description>'));
    const xml = formatDomainXml(def);
    expect(xml).toContain('  <title>T &amp; U</title>\n  <description>multi\nline &lt;b&gt;</description>\n');
    expect(parse(xml)).toEqual(def);
  });

  it('a set element takes the key as prefix for itself and unqualified descendants only', () => {
    const def = setDomainMetadata(
      parse(BASE('')),
      2,
      '<a x="1" xmlns:p="http://p/"><p:b/><c>t</c></a>',
      'k',
      'http://e/',
    );
    expect(metadataBlock(formatDomainXml(def))).toBe(
      '\n  <metadata>\n    <k:a xmlns:p="http://p/" xmlns:k="http://e/" x="1">\n      <p:b/>\n      <k:c>t</k:c>\n    </k:a>\n  </metadata>\n',
    );
    expect(getDomainMetadata(def, 2, 'http://e/')).toBe('<a xmlns:p="http://p/" x="1">\n  <p:b/>\n  <c>t</c>\n</a>');
    // Removal leaves an empty <metadata/>; the definition given is left as it was.
    expect(setDomainMetadata(def, 2, undefined, undefined, 'http://e/').metadata).toEqual({ elements: [] });
    expect(def.metadata?.elements).toHaveLength(1);
  });

  it('an element already in another namespace stays there', () => {
    const def = setDomainMetadata(parse(BASE('')), 2, '<a xmlns="http://other/"><b/></a>', 'k', 'http://e/');
    expect(() => getDomainMetadata(def, 2, 'http://e/')).toThrow(
      expect.objectContaining({ code: ErrorCode.NO_DOMAIN_METADATA }),
    );
    expect(getDomainMetadata(def, 2, 'http://other/')).toBe('<a xmlns:k="http://e/">\n  <b/>\n</a>');
  });
});
