import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT, runSuite } from '../../../../../tools/conformance/run-suite.js';
import { suite as domainschema } from '../../../../../tools/conformance/suites/domainschema.js';
import { suite as genericxml2xml } from '../../../../../tools/conformance/suites/genericxml2xml.js';

const present = existsSync(DEFAULT_DATA_ROOT);

describe('libvirt conformance: domain XML', () => {
  for (const suite of [genericxml2xml, domainschema]) {
    it.skipIf(!present)(`${suite.name} passes every case`, async () => {
      const r = await runSuite(suite, DEFAULT_DATA_ROOT);
      console.log(
        `${r.name}: ${r.passed} passed, ${r.failed.length} failed${r.skipped ? ` (skipped: ${r.skipped})` : ''}`,
      );
      for (const f of r.failed) console.log(`  ${f.name}: ${f.reason}`);
      expect(r.skipped).toBeUndefined();
      expect(r.failed).toEqual([]);
      expect(r.passed).toBeGreaterThan(0);
    });
  }
  if (!present) {
    it.skip(`skipped: libvirt's golden data is not at ${DEFAULT_DATA_ROOT} (../shared beside the checkout)`, () => {});
  }
});
