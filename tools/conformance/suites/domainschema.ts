/**
 * domainschema: every domainschemadata/NAME.xml must validate against libvirt's domain.rng
 * (as tests/virschematest.c checks) and parse with parseDomainXml; tsvirt's formatted output
 * of it must validate against the schema too.
 *
 * virschematest checks grammar only, so parsing here skips the semantic validation stage
 * (libvirt's VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE): domain-openvz-simple.xml, for one, is valid
 * grammar with <memory>0</memory>, which a define would refuse.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatDomainXml, parseDomainXml } from '../../../packages/core/src/xml/domain/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';

/** libvirt's schemas sit beside the conformance data: ../shared/schemas. */
export function domainSchemaPath(dataRoot: string): string {
  return resolve(dataRoot, '..', '..', 'schemas', 'domain.rng');
}

/** Validate a file with xmllint; throws with xmllint's own complaint on failure. */
export function xmllintValidate(schema: string, file: string): void {
  const r = spawnSync('xmllint', ['--noout', '--relaxng', schema, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run xmllint (Debian package libxml2-utils): ${r.error.message}`);
  if (r.status !== 0) {
    const why =
      (r.stderr || r.stdout).split('\n').find((l) => l.trim() !== '' && !l.endsWith('fails to validate')) ??
      'fails to validate';
    throw new Error(`${file}: ${why.trim()}`);
  }
}

function runCase(dataRoot: string, file: string): void {
  const schema = domainSchemaPath(dataRoot);
  xmllintValidate(schema, file);
  const def = parseDomainXml(readFileSync(file, 'utf8'), { flags: { skipValidate: true } });
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-domainschema-'));
  try {
    const out = join(dir, 'formatted.xml');
    writeFileSync(out, formatDomainXml(def, { inactive: true, secure: true }));
    xmllintValidate(schema, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const suite: ConformanceSuite = {
  name: 'domainschema',
  folders: ['domainschemadata'],
  cases(dataRoot: string): ConformanceCase[] {
    const dir = join(dataRoot, 'domainschemadata');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => ({ name: f.slice(0, -4), run: () => runCase(dataRoot, join(dir, f)) }));
  },
};
