/**
 * virDomainOpenConsole for QEMU: the guest's serial port is a pty QEMU opened
 * (-chardev pty); the console is that pty's other side, in raw mode so bytes pass unchanged.
 */
import { constants, openSync, write } from 'node:fs';
import { ReadStream } from 'node:tty';
import { promisify } from 'node:util';
import { type ConsoleStream, type DomainRef, ErrorCode } from '@tsvirt/core';
import type { DomainTable } from './domain-table.js';
import { notRunning, qemuError } from './errors.js';

export async function openGuestConsole(
  table: DomainTable,
  ref: DomainRef,
  device: string | undefined,
): Promise<ConsoleStream> {
  const d = table.find({ uuid: ref.uuid });
  if (d.id < 0 || !d.process) throw notRunning();
  if (device !== undefined && device !== 'serial0' && device !== 'console0') {
    throw qemuError(ErrorCode.INTERNAL_ERROR, `cannot find character device ${device}`);
  }
  const pty = d.process.consolePty;
  if (!pty) throw qemuError(ErrorCode.OPERATION_UNSUPPORTED, 'character device serial0 is not using a PTY');
  const fd = openSync(pty, constants.O_RDWR | constants.O_NOCTTY);
  // The stream owns the descriptor: destroying it closes the pty.
  const input = new ReadStream(fd);
  input.setRawMode(true);
  const writeFd = promisify(write);
  let closed = false;
  return {
    output: input,
    async write(data: Uint8Array) {
      if (closed) throw qemuError(ErrorCode.OPERATION_INVALID, 'console is closed');
      await writeFd(fd, data);
    },
    async close() {
      if (closed) return;
      closed = true;
      input.destroy();
    },
  };
}
