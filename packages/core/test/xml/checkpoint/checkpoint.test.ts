/**
 * Domain checkpoint XML: what libvirt 9.0's virsh prints parses and formats back byte for byte,
 * the formatter's output validates against domaincheckpoint.rng, and bad documents get
 * libvirt's errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors/codes.js';
import { formatDomainCheckpointXml, parseDomainCheckpointXml } from '../../../src/xml/checkpoint/index.js';
import { SHARED } from '../network/helpers.js';

/** ../shared beside the checkout, or beside TSVIRT_CONFORMANCE_DATA (a worktree elsewhere). */
const SCHEMA = process.env.TSVIRT_CONFORMANCE_DATA
  ? join(process.env.TSVIRT_CONFORMANCE_DATA, '..', '..', 'schemas', 'domaincheckpoint.rng')
  : join(SHARED, 'schemas', 'domaincheckpoint.rng');
const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
const HAVE_VIRSH = spawnSync('virsh', ['--version']).status === 0;
if (!existsSync(SCHEMA)) console.warn(`checkpoint XML: ${SCHEMA} is absent; skipping schema validation`);

function schemaErrors(doc: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-chk-'));
  try {
    writeFileSync(join(dir, 'doc.xml'), doc);
    const r = spawnSync('xmllint', ['--noout', '--relaxng', SCHEMA, join(dir, 'doc.xml')], { encoding: 'utf8' });
    return r.status === 0 ? '' : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FULL = `<domaincheckpoint>
  <name>c2</name>
  <description>a &amp; b &lt;c&gt;</description>
  <parent>
    <name>c1</name>
  </parent>
  <creationTime>1795903657</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='c2'/>
    <disk name='vdb' checkpoint='no'/>
  </disks>
  <domain type='test'>
    <name>test</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
    <memory unit='KiB'>8388608</memory>
    <os>
      <type arch='i686'>hvm</type>
    </os>
  </domain>
</domaincheckpoint>
`;

function fails(xml: string, redefine = false) {
  try {
    parseDomainCheckpointXml(xml, { redefine });
  } catch (e) {
    const err = e as { code: number; domain: number; message: string };
    return { code: err.code, domain: err.domain, message: err.message };
  }
  throw new Error('parsed');
}

describe('domain checkpoint XML', () => {
  it('round-trips an existing checkpoint (REDEFINE) in libvirt layout', () => {
    const def = parseDomainCheckpointXml(FULL, { redefine: true });
    expect(def).toMatchObject({ name: 'c2', parent: 'c1', creationTime: 1795903657 });
    expect(def.disks).toEqual([
      { name: 'vda', checkpoint: 'bitmap', bitmap: 'c2' },
      { name: 'vdb', checkpoint: 'no' },
    ]);
    expect(formatDomainCheckpointXml(def)).toBe(FULL);
  });

  it('leaves out the domain with NO_DOMAIN and writes sizes only with SIZE', () => {
    const def = parseDomainCheckpointXml(FULL, { redefine: true });
    def.disks = [
      { name: 'vda', checkpoint: 'bitmap', bitmap: 'c2', size: 1024 },
      { name: 'vdb', checkpoint: 'no' },
    ];
    const noDomain = formatDomainCheckpointXml(def, { noDomain: true });
    expect(noDomain).not.toContain('<domain ');
    expect(noDomain).not.toContain('size=');
    expect(formatDomainCheckpointXml(def, { noDomain: true, size: true })).toContain(
      "<disk name='vda' checkpoint='bitmap' bitmap='c2' size='1024'/>",
    );
  });

  it('reads back the sizes a server wrote with SIZE', () => {
    const doc = FULL.replace("bitmap='c2'/>", "bitmap='c2' size='1048576'/>");
    const def = parseDomainCheckpointXml(doc, { redefine: true });
    expect(def.disks?.[0]?.size).toBe(1048576);
    expect(formatDomainCheckpointXml(def, { size: true })).toBe(doc);
  });

  it('gives a new checkpoint its creation time and, without a name, that time as name', () => {
    const def = parseDomainCheckpointXml('<domaincheckpoint><creationTime>5</creationTime></domaincheckpoint>', {
      now: () => 1700000000,
    });
    expect(def).toEqual({ name: '1700000000', creationTime: 1700000000 });
    const named = parseDomainCheckpointXml(
      "<domaincheckpoint><name>x</name><parent><name>p</name></parent><disks><disk name='vda'/></disks></domaincheckpoint>",
      { now: () => 7 },
    );
    expect(named).toEqual({ name: 'x', creationTime: 7, disks: [{ name: 'vda', checkpoint: 'bitmap' }] });
  });

  it.skipIf(!HAVE_XMLLINT || !existsSync(SCHEMA))('formats documents that domaincheckpoint.rng accepts', () => {
    const docs = [
      FULL,
      formatDomainCheckpointXml({ name: 'a', creationTime: 1 }),
      formatDomainCheckpointXml(
        { name: 'b', disks: [{ name: 'vda', checkpoint: 'bitmap', bitmap: 'x', size: 5 }] },
        { size: true },
      ),
      formatDomainCheckpointXml({ name: 'c' }),
    ];
    for (const doc of docs) expect(schemaErrors(doc)).toBe('');
  });

  it.skipIf(!HAVE_VIRSH)("parses and formats back what virsh 9.0's test driver prints", () => {
    const r = spawnSync(
      'virsh',
      [
        '-c',
        'test:///default',
        'checkpoint-create-as test k --description "x<y"; checkpoint-create-as test l; checkpoint-dumpxml test l; checkpoint-dumpxml test k --no-domain',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const docs = r.stdout
      .split(/(?=<domaincheckpoint>)/)
      .slice(1)
      .map((d) => d.replace(/\n\n.*$/s, '\n'));
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expect(formatDomainCheckpointXml(parseDomainCheckpointXml(doc, { redefine: true }))).toBe(doc);
    }
  });

  it("refuses bad documents with libvirt's errors", () => {
    const schema = (detail: string) => ({
      code: ErrorCode.XML_INVALID_SCHEMA,
      domain: ErrorDomain.XML,
      message: `XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/domaincheckpoint.rng\n${detail}\n`,
    });
    const misfit = (el: string) =>
      schema(`Extra element ${el} in interleave\nElement domaincheckpoint failed to validate content`);
    expect(fails('<domainsnapshot/>')).toEqual({
      code: ErrorCode.XML_ERROR,
      domain: ErrorDomain.XML,
      message: "XML error: expecting root element of 'domaincheckpoint', not 'domainsnapshot'",
    });
    expect(fails('<domaincheckpoint><name>a/b</name></domaincheckpoint>')).toEqual(misfit('name'));
    expect(fails("<domaincheckpoint><disks><disk checkpoint='no'/></disks></domaincheckpoint>")).toEqual(
      misfit('disks'),
    );
    expect(fails('<domaincheckpoint><foo/></domaincheckpoint>')).toEqual(
      schema('Element domaincheckpoint has extra content: foo'),
    );
    expect(fails('<domaincheckpoint><creationTime>1</creationTime></domaincheckpoint>', true)).toEqual({
      code: ErrorCode.XML_ERROR,
      domain: ErrorDomain.DOMAIN_CHECKPOINT,
      message: 'XML error: a redefined checkpoint must have a name',
    });
    expect(fails('<domaincheckpoint><name>a</name></domaincheckpoint>', true)).toEqual({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.DOMAIN_CHECKPOINT,
      message: 'internal error: missing creationTime from existing checkpoint',
    });
    expect(fails('<domaincheckpoint>').domain).toBe(ErrorDomain.DOMAIN_CHECKPOINT);
  });
});
