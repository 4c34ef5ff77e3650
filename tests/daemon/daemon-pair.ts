/**
 * Daemons for a describe block: tsvirtd alone, or tsvirtd with the real libvirtd beside it when
 * it can run here, started before the block's tests and stopped after them (tsvirtd must exit
 * cleanly).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

export interface SuiteTsvirtd {
  /** tsvirtd; read it inside the tests, once beforeAll has run. */
  readonly ours: Tsvirtd;
}

export interface DaemonPair extends SuiteTsvirtd {
  /** libvirtd, or undefined when it cannot run here (see libvirtdUnavailable). */
  readonly theirs: Libvirtd | undefined;
}

export function tsvirtdForSuite(tsvirtdConf: string[] = [], startTimeoutMs?: number): SuiteTsvirtd {
  let ours: Tsvirtd | undefined;
  beforeAll(async () => {
    ours = await startTsvirtd(tsvirtdConf);
  }, startTimeoutMs);
  afterAll(async () => {
    if (ours) {
      expect(await ours.stop()).toBe(0);
      await removeTsvirtdDir(ours);
    }
  });
  return {
    get ours() {
      if (!ours) throw new Error('tsvirtd is not started yet (read it inside a test)');
      return ours;
    },
  };
}

export function daemonPairForSuite(tsvirtdConf: string[] = [], startTimeoutMs?: number): DaemonPair {
  const suite = tsvirtdForSuite(tsvirtdConf, startTimeoutMs);
  let theirs: Libvirtd | undefined;
  beforeAll(async () => {
    if (!libvirtdUnavailable()) theirs = await startLibvirtd();
  }, startTimeoutMs);
  afterAll(async () => {
    await theirs?.stop();
  });
  return {
    get ours() {
      return suite.ours;
    },
    get theirs() {
      return theirs;
    },
  };
}
