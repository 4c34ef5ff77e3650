/**
 * For a describe block that compares the two daemons: tsvirtd, and the real libvirtd beside it
 * when it can run here, started before the block's tests and stopped after them (tsvirtd must
 * exit cleanly).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

export interface DaemonPair {
  /** tsvirtd; read it inside the tests, once beforeAll has run. */
  readonly ours: Tsvirtd;
  /** libvirtd, or undefined when it cannot run here (see libvirtdUnavailable). */
  readonly theirs: Libvirtd | undefined;
}

export function daemonPairForSuite(tsvirtdConf: string[] = [], startTimeoutMs?: number): DaemonPair {
  let ours: Tsvirtd | undefined;
  let theirs: Libvirtd | undefined;
  beforeAll(async () => {
    ours = await startTsvirtd(tsvirtdConf);
    if (!libvirtdUnavailable()) theirs = await startLibvirtd();
  }, startTimeoutMs);
  afterAll(async () => {
    if (ours) {
      expect(await ours.stop()).toBe(0);
      await removeTsvirtdDir(ours);
    }
    await theirs?.stop();
  });
  return {
    get ours() {
      if (!ours) throw new Error('tsvirtd is not started yet (read it inside a test)');
      return ours;
    },
    get theirs() {
      return theirs;
    },
  };
}
