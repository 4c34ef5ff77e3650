import { describe, expect, it } from 'vitest';
import { findSuites, runSuite } from '../../../tools/conformance/registry.js';
import { listQemuCapsFiles, runQemuCapsFile } from '../../../tools/conformance/suites/qemucaps.js';
import { DATA_ROOT, HAVE_CAPS_DATA } from './helpers/shared.js';

/**
 * libvirt's QEMU capability data replayed through the probe. The per-fact counts are pinned so
 * a regression cannot pass silently; raise them when the probe learns more.
 */
describe.skipIf(!HAVE_CAPS_DATA)('qemucaps conformance (libvirt 11.3 data for QEMU 10.0)', () => {
  it('matches every fact of caps_10.0.0_x86_64', async () => {
    expect(listQemuCapsFiles(DATA_ROOT)).toContain('caps_10.0.0_x86_64');
    const result = await runQemuCapsFile(DATA_ROOT, 'caps_10.0.0_x86_64');
    const byFact = Object.fromEntries(result.facts.map((f) => [f.fact, f]));
    for (const f of result.facts) console.log(`qemucaps ${f.fact}: ${f.matched} of ${f.total}`);
    expect(byFact.flags).toMatchObject({ matched: 201, total: 201, extra: [] });
    expect(byFact['kvm machines']).toMatchObject({ matched: 64, total: 64, extra: [] });
    expect(byFact['tcg machines']).toMatchObject({ matched: 64, total: 64, extra: [] });
    expect(byFact['kvm CPU models']).toMatchObject({ matched: 153, total: 153 });
    expect(byFact['tcg CPU models']).toMatchObject({ matched: 153, total: 153 });
    expect(byFact['kvm host CPU properties']).toMatchObject({ matched: 390, total: 390 });
    expect(byFact['tcg host CPU properties']).toMatchObject({ matched: 390, total: 390 });
    expect(byFact['Hyper-V enlightenments']).toMatchObject({ matched: 16, total: 16 });
    expect(byFact['QMP commands']).toMatchObject({ matched: 54, total: 54, extra: [] });
    for (const f of result.facts)
      expect({ fact: f.fact, missing: f.missing, extra: f.extra }).toEqual({ fact: f.fact, missing: [], extra: [] });
  });

  it('passes as a conformance suite', async () => {
    const r = await runSuite(findSuites(['qemucaps'])[0]!, DATA_ROOT);
    console.log(`qemucaps: ${r.passed} passed, ${r.failed.length} failed`);
    expect(r.failed).toEqual([]);
    expect(r.passed).toBeGreaterThanOrEqual(18);
  });
});
