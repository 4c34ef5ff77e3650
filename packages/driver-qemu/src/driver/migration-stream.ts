/**
 * QEMU's migration stream to and from a file. QEMU 7.2 has no file: migration URI and this
 * driver cannot hand QEMU descriptors, so the stream goes through a unix socket in the
 * domain's private directory: QEMU connects to ours when saving, and listens on one we
 * connect to when restoring (-incoming defer, then migrate-incoming).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '@tsvirt/core';
import { qemuError } from './errors.js';
import type { QemuMonitor } from './monitor.js';

/** Saving is not throttled (QEMU's default bandwidth limit is meant for networks). */
const UNLIMITED_BANDWIDTH = Number.MAX_SAFE_INTEGER;
const POLL_MS = 50;

interface MigrateInfo {
  status?: string;
  'error-desc'?: string;
}

/** Wait for the migration QEMU runs to end; a failed one is an error. */
async function waitForMigration(monitor: QemuMonitor, job: string): Promise<void> {
  for (;;) {
    const info = await monitor.execute<MigrateInfo>('query-migrate');
    if (info.status === 'completed') return;
    if (info.status === 'failed' || info.status === 'cancelled') {
      const why = info['error-desc'] ? `: ${info['error-desc']}` : '';
      throw qemuError(ErrorCode.OPERATION_FAILED, `job '${job}' failed${why}`);
    }
    await sleep(POLL_MS);
  }
}

/** QEMU writes the guest's state (it should be paused) into `path` from byte `offset` on. */
export async function migrateToFile(
  monitor: QemuMonitor,
  path: string,
  offset: number,
  sockPath: string,
): Promise<void> {
  await rm(sockPath, { force: true });
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sockPath, () => resolve());
  });
  const received = new Promise<void>((resolve, reject) => {
    server.once('connection', (sock: Socket) => {
      server.close();
      pipeline(sock, createWriteStream(path, { flags: 'r+', start: offset })).then(resolve, reject);
    });
  });
  // Awaited below once QEMU reports the end; a failure before that is reported by QEMU too.
  received.catch(() => undefined);
  try {
    await monitor.execute('migrate-set-parameters', { 'max-bandwidth': UNLIMITED_BANDWIDTH });
    await monitor.execute('migrate', { uri: `unix:${sockPath}` });
    await waitForMigration(monitor, 'migration out');
    await received;
  } finally {
    server.close();
    await rm(sockPath, { force: true });
  }
}

/** QEMU started with -incoming defer loads the state stored in `path` from byte `offset` on. */
export async function migrateFromFile(
  monitor: QemuMonitor,
  path: string,
  offset: number,
  sockPath: string,
): Promise<void> {
  await rm(sockPath, { force: true });
  await monitor.execute('migrate-incoming', { uri: `unix:${sockPath}` });
  try {
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = connect(sockPath);
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    // QEMU may close its side as soon as it has read the end of the stream, which the pipe
    // sees as a premature close: QEMU's own account of the migration is what counts.
    const sent = pipeline(createReadStream(path, { start: offset }), sock).catch((err: Error) => err);
    await waitForMigration(monitor, 'migration in');
    await sent;
  } finally {
    await rm(sockPath, { force: true });
  }
}
