/** Core's driver conformance suite against network:///embed, run inside a network namespace. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@tsvirt/core';
import { runDriverConformance } from '@tsvirt/core/testing';
import { afterAll, describe, it } from 'vitest';
import { driver } from '../src/index.js';
import { deleteNamespace, newNamespace, SKIP_REASON } from './netns.js';

if (SKIP_REASON === undefined) {
  const ns = newNamespace('conf');
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-network-conf-'));
  afterAll(() => {
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });
  runDriverConformance({
    name: 'network:///embed (in a network namespace)',
    open: ({ readOnly }) =>
      connect(`network:///embed?root=${root}`, { readOnly, drivers: [driver], config: { netns: ns } }),
    domainXml: (name) => `<domain type='test'><name>${name}</name></domain>`,
    networkXml: (name) => `<network><name>${name}</name><bridge name='tsv${name.slice(-6)}'/></network>`,
  });
} else {
  describe('driver conformance: network:///embed', () => {
    it.skip(`skipped: ${SKIP_REASON}`, () => {});
  });
}
