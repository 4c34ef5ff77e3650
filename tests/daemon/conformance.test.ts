/**
 * core's driver conformance suite through tsvirt's remote client and tsvirtd (test driver behind
 * it), over TCP and the unix socket: every group the remote client declares runs end to end.
 */
import { connect } from '@tsvirt/core';
import { runDriverConformance } from '@tsvirt/core/testing';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll } from 'vitest';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const domainXml = (name: string) =>
  `<domain type='test'><name>${name}</name><memory>65536</memory><os><type>hvm</type></os></domain>`;

const networkXml = (name: string) => `<network><name>${name}</name><bridge name='tsv-${name.slice(-6)}'/></network>`;
const volumeXml = (name: string) => `<volume><name>${name}</name><capacity>1048576</capacity></volume>`;

let d: Tsvirtd | undefined;
const daemon = (): Tsvirtd => {
  if (!d) throw new Error('tsvirtd did not start');
  return d;
};
beforeAll(async () => {
  d = await startTsvirtd();
});
afterAll(async () => {
  if (d) {
    await d.stop();
    await removeTsvirtdDir(d);
  }
});

runDriverConformance({
  name: 'test+tcp:// through tsvirtd',
  open: ({ readOnly }) => connect(daemon().tcpUri(), { readOnly, drivers: [driver] }),
  domainXml,
  networkXml,
  volumeXml,
  poolName: 'default-pool',
});
runDriverConformance({
  name: 'test+unix:// through tsvirtd',
  open: ({ readOnly }) => connect(daemon().unixUri(), { readOnly, drivers: [driver] }),
  domainXml,
  networkXml,
  volumeXml,
  poolName: 'default-pool',
});
