/**
 * The qemuxml2argv conformance suite (libvirt's own expected QEMU command lines) must not lose
 * ground: the pass count may only go up. Set TSVIRT_CONFORMANCE_DATA to the folder holding
 * libvirt's golden data when it is not at ../shared/conformance/libvirt beside the checkout.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT, runSuite } from '../../../tools/conformance/registry.js';
import { suite } from '../../../tools/conformance/suites/qemuxml2argv.js';

/** Cases passing when this floor was last raised; raise it as the builder improves. */
const PASS_FLOOR = 665;

const dataRoot = process.env.TSVIRT_CONFORMANCE_DATA ?? DEFAULT_DATA_ROOT;
const present = suite.folders.every((f) => existsSync(join(dataRoot, f)));

describe.skipIf(!present)(`qemuxml2argv against ${dataRoot}`, () => {
  it(`passes at least ${PASS_FLOOR} of libvirt's x86_64-latest cases`, { timeout: 120_000 }, async () => {
    const result = await runSuite(suite, dataRoot);
    expect(result.skipped).toBeUndefined();
    expect(result.passed + result.failed.length).toBeGreaterThan(650);
    expect(result.passed).toBeGreaterThanOrEqual(PASS_FLOOR);
  });
});
