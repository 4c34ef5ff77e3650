import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT, runSuite } from '../../../../../tools/conformance/run-suite.js';
import { suite as networkxml2xml } from '../../../../../tools/conformance/suites/networkxml2xml.js';
import { suite as storagepoolxml2xml } from '../../../../../tools/conformance/suites/storagepoolxml2xml.js';
import { suite as storagevolxml2xml } from '../../../../../tools/conformance/suites/storagevolxml2xml.js';
import { HAVE_DATA } from './helpers.js';

/** libvirt's golden data for networks, pools and volumes, run through the conformance runner. */
describe.skipIf(!HAVE_DATA)('libvirt golden data (networkxml2xml, storagepoolxml2xml, storagevolxml2xml)', () => {
  for (const suite of [networkxml2xml, storagepoolxml2xml, storagevolxml2xml]) {
    it(`${suite.name} passes every case`, async () => {
      const r = await runSuite(suite, DEFAULT_DATA_ROOT);
      console.log(
        `${r.name}: ${r.passed} passed, ${r.failed.length} failed${r.skipped ? ` (skipped: ${r.skipped})` : ''}`,
      );
      expect(r.skipped).toBeUndefined();
      expect(r.failed).toEqual([]);
      expect(r.passed).toBeGreaterThan(0);
    });
  }
});
