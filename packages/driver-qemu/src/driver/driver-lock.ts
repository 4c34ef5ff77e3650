/**
 * One driver per root at a time: the state directory holds a pid file naming the process that
 * runs the driver there (libvirt's embedded driver does the same). Two processes driving the
 * same guests would fight over their monitors, which take one client each.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@tsvirt/core';
import { qemuError } from './errors.js';
import { processAlive } from './process.js';

export class DriverLock {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'driver.pid');
  }

  /** Take the root, or fail when a live process other than this one holds it. */
  acquire(): void {
    for (;;) {
      try {
        writeFileSync(this.file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = Number(readFileSync(this.file, 'utf8').trim());
      if (holder !== process.pid && Number.isSafeInteger(holder) && holder > 0 && processAlive(holder)) {
        throw qemuError(
          ErrorCode.SYSTEM_ERROR,
          `Failed to acquire pid file '${this.file}': Resource temporarily unavailable (held by process ${holder})`,
        );
      }
      // A stale file from a process that ended without closing: take it over.
      rmSync(this.file, { force: true });
    }
  }

  release(): void {
    try {
      if (Number(readFileSync(this.file, 'utf8').trim()) === process.pid) rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}
