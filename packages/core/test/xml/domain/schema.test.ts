import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DomainDef, formatDomainXml, parseDomainXml } from '../../../src/xml/domain/index.js';
import { DOMAIN_RNG, haveSchema, MINIMAL, RICH_DOMAIN, SHARED, schemaErrors, zeroRandom } from './helpers.js';

const DATA = join(SHARED, 'conformance', 'libvirt');

describe.skipIf(!haveSchema)(`formatter output validates against ${DOMAIN_RNG}`, () => {
  it('for hand-written domains, live and inactive', () => {
    for (const xml of [MINIMAL, RICH_DOMAIN]) {
      const def = parseDomainXml(xml);
      expect(schemaErrors(formatDomainXml(def, { secure: true }))).toBe('');
      expect(schemaErrors(formatDomainXml(def, { inactive: true }))).toBe('');
    }
  });

  it.skipIf(!existsSync(DATA))("for every input of libvirt's genericxml2xml and domainschema data that parses", () => {
    let checked = 0;
    for (const dir of ['genericxml2xmlindata', 'domainschemadata']) {
      for (const f of readdirSync(join(DATA, dir)).filter((n) => n.endsWith('.xml'))) {
        let def: DomainDef;
        try {
          def = parseDomainXml(readFileSync(join(DATA, dir, f), 'utf8'), {
            randomBytes: zeroRandom,
            flags: { skipValidate: true },
          });
        } catch {
          continue; // the expected-failure cases
        }
        expect(schemaErrors(formatDomainXml(def, { secure: true })), `${dir}/${f}`).toBe('');
        checked++;
      }
    }
    console.log(`domain.rng: ${checked} formatted documents validated`);
    expect(checked).toBeGreaterThan(30);
  });
});

if (!haveSchema) {
  describe('formatter output validates against domain.rng', () => {
    it.skip(`skipped: ${DOMAIN_RNG} or xmllint (libxml2-utils) is missing`, () => {});
  });
}
