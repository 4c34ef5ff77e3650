/**
 * virDomainOpenConsole for QEMU: a console, serial or parallel port whose backend is a pty QEMU
 * opened (-chardev pty); the stream is that pty's other side, in raw mode so bytes pass unchanged.
 * As in libvirt, one session at a time holds a device: another open is refused unless it forces
 * the holder out.
 */
import { constants, openSync, write } from 'node:fs';
import { ReadStream } from 'node:tty';
import { promisify } from 'node:util';
import {
  type ConsoleStream,
  DomainConsoleFlags,
  type DomainDef,
  type DomainRef,
  ErrorCode,
  hasFlag,
} from '@tsvirt/core';
import type { DomainTable } from './domain-table.js';
import { notRunning, qemuError } from './errors.js';

/** The open console sessions of each domain table, by pty path. */
const sessions = new WeakMap<DomainTable, Map<string, ConsoleStream>>();

export async function openGuestConsole(
  table: DomainTable,
  ref: DomainRef,
  device: string | undefined,
  flags: number,
): Promise<ConsoleStream> {
  const d = table.find({ uuid: ref.uuid });
  if (d.id < 0 || !d.process) throw notRunning();
  const pty = consolePtyOf(d.def, device);
  const open = sessions.get(table) ?? new Map<string, ConsoleStream>();
  sessions.set(table, open);
  const holder = open.get(pty);
  if (holder) {
    if (!hasFlag(flags, DomainConsoleFlags.FORCE)) {
      throw qemuError(ErrorCode.OPERATION_FAILED, 'Active console session exists for this domain');
    }
    // The session forced out sees its output end.
    await holder.close();
  }
  const fd = openSync(pty, constants.O_RDWR | constants.O_NOCTTY);
  // The stream owns the descriptor: destroying it closes the pty.
  const input = new ReadStream(fd);
  input.setRawMode(true);
  const writeFd = promisify(write);
  let closed = false;
  const session: ConsoleStream = {
    output: input,
    async write(data: Uint8Array) {
      if (closed) throw qemuError(ErrorCode.OPERATION_INVALID, 'console is closed');
      await writeFd(fd, data);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (open.get(pty) === session) open.delete(pty);
      input.destroy();
    },
  };
  // A session whose pty went away (the guest stopped) no longer holds the device.
  input.once('close', () => void session.close());
  open.set(pty, session);
  return session;
}

/**
 * The pty behind `device` (an alias; channels are not consoles), or behind the first console
 * (else the first serial port) when none is named. The live definition carries the paths.
 */
function consolePtyOf(def: DomainDef, device: string | undefined): string {
  const { consoles, serials, parallels } = def.devices;
  // A serial-type first console shows its serial port's alias, yet libvirt still answers to
  // console0 for it: consoles match by their place in the list too.
  const chr =
    device === undefined
      ? (consoles[0] ?? serials[0])
      : (consoles.find((c, i) => c.info.alias === device || `console${i}` === device) ??
        [...serials, ...parallels].find((c) => c.info.alias === device));
  if (!chr) throw qemuError(ErrorCode.INTERNAL_ERROR, `cannot find character device ${device ?? ''}`);
  if (chr.source.type !== 'pty' || !chr.source.path) {
    const name = device ?? (consoles[0] ? 'console0' : 'serial0');
    throw qemuError(ErrorCode.INTERNAL_ERROR, `character device ${name} is not using a PTY`);
  }
  return chr.source.path;
}
