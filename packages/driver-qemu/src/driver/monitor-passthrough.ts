/**
 * virDomainQemuMonitorCommand: a QMP command in JSON (or human-monitor text with the HMP
 * flag) passed to the guest's monitor; the answer is the reply as libvirt prints it, compact
 * JSON with QEMU's "return" or "error" member, never turned into an API error.
 */
import { checkFlags, type DomainRef, ErrorCode, ErrorDomain } from '@tsvirt/core';
import { isQmpError } from '../qmp/index.js';
import type { DomainTable } from './domain-table.js';
import { notRunning, qemuError } from './errors.js';

/** VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP. */
export const MONITOR_COMMAND_HMP = 1;

let serial = 0;

export async function monitorCommand(table: DomainTable, ref: DomainRef, text: string, flags: number): Promise<string> {
  checkFlags(flags, MONITOR_COMMAND_HMP, 'qemuDomainQemuMonitorCommand', ErrorDomain.QEMU);
  const d = table.find({ uuid: ref.uuid });
  const monitor = d.process?.monitor;
  if (d.id < 0 || !monitor) throw notRunning();
  if (flags & MONITOR_COMMAND_HMP) {
    return String(await monitor.execute('human-monitor-command', { 'command-line': text }));
  }
  let request: { execute?: unknown; arguments?: unknown };
  try {
    request = JSON.parse(text) as typeof request;
  } catch (err) {
    throw qemuError(ErrorCode.INTERNAL_ERROR, `cannot parse json ${text}: ${(err as Error).message}`);
  }
  if (typeof request !== 'object' || request === null || typeof request.execute !== 'string') {
    throw qemuError(ErrorCode.INTERNAL_ERROR, `cannot parse json ${text}: no 'execute' member`);
  }
  const id = `libvirt-${++serial}`;
  const args = (request.arguments ?? undefined) as Record<string, unknown> | undefined;
  try {
    const ret = await monitor.execute(request.execute, args);
    return JSON.stringify({ return: ret ?? {}, id });
  } catch (err) {
    if (isQmpError(err)) return JSON.stringify({ id, error: { class: err.qmpClass, desc: err.qmpDesc } });
    throw err;
  }
}
