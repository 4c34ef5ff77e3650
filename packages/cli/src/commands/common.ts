import { AffectFlags } from '@tsvirt/core';
import type { Control } from '../control.js';
import { readXmlFile } from '../files.js';
import { requiredString } from '../lookup.js';
import { field } from '../output/format.js';
import type { ParsedCommand } from '../parse-args.js';
import { opt } from './types.js';

/** Read the XML file named by option `name`; a failure leaves libvirt's file error pending. */
export function readFileOpt(
  ctl: Control,
  cmd: ParsedCommand,
  name = 'file',
): { file: string; xml: string } | undefined {
  const file = requiredString(ctl, cmd, name);
  try {
    return { file, xml: readXmlFile(file) };
  } catch (e) {
    ctl.saveError(e);
    return undefined;
  }
}

/** Run an action; print `done` (suppressed by -q) or `failed` plus the library error. */
export async function act(
  ctl: Control,
  action: () => Promise<unknown>,
  done: string,
  failed: string,
): Promise<boolean> {
  try {
    await action();
  } catch (e) {
    ctl.saveError(e);
    ctl.error(failed);
    return false;
  }
  ctl.printExtra(done);
  return true;
}

/**
 * Call `fn`; on failure print `message` (when virsh has one) and leave the library error for the
 * report.
 */
export async function orFail<T>(ctl: Control, fn: () => Promise<T>, message?: string): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    ctl.saveError(e);
    if (message !== undefined) ctl.error(message);
    return undefined;
  }
}

/** The value, or undefined when the call fails (virsh prints "unknown" or skips the line). */
export async function orUndefined<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

/** virsh's case-insensitive name order (vshStrcasecmp). */
export function caseCompare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Objects in virsh's list order: by name, ignoring case. */
export function sortByName<T extends { getName(): string }>(list: T[]): T[] {
  return list.sort((a, b) => caseCompare(a.getName(), b.getName()));
}

/** The autostart column and line: "no autostart" when it cannot be read. */
export function autostartText(autostart: boolean | undefined): string {
  return autostart === undefined ? 'no autostart' : autostart ? 'yes' : 'no';
}

/** A yes/no answer, "unknown" when it cannot be read. */
export function yesNoUnknown(value: boolean | undefined): string {
  return value === undefined ? 'unknown' : value ? 'yes' : 'no';
}

/** --config/--live/--current as most domain commands word them in their help. */
export const AFFECT_OPTS = [
  opt.bool('config', 'affect next boot'),
  opt.bool('live', 'affect running domain'),
  opt.bool('current', 'affect current domain'),
];

/** The pairs virsh refuses for --current (VSH_EXCLUSIVE_OPTIONS_VAR(current, live/config)). */
export const CURRENT_EXCLUSIVE: readonly [string, string][] = [
  ['current', 'live'],
  ['current', 'config'],
];

/** virsh's VSH_EXCLUSIVE_OPTIONS_VAR for each pair; false (error printed) on the first clash. */
export function exclusive(ctl: Control, cmd: ParsedCommand, pairs: readonly (readonly [string, string])[]): boolean {
  for (const [a, b] of pairs) {
    if (cmd.bool(a) && cmd.bool(b)) {
      ctl.error(`Options --${a} and --${b} are mutually exclusive`);
      return false;
    }
  }
  return true;
}

/** --live and --config as AffectFlags (0: the current state). */
export function affectFlags(cmd: ParsedCommand): number {
  return (cmd.bool('live') ? AffectFlags.LIVE : 0) | (cmd.bool('config') ? AffectFlags.CONFIG : 0);
}

export const XPATH_OPTS = [
  opt.string('xpath', 'xpath expression to filter the XML document', { named: true }),
  opt.bool('wrap', 'wrap xpath results in an common root element'),
];

/** virshDumpXML without --xpath support: print the document as the library formatted it. */
export function dumpXml(ctl: Control, cmd: ParsedCommand, xml: string): boolean {
  if (cmd.has('xpath')) {
    ctl.error('--xpath is not supported by tsvirsh yet');
    return false;
  }
  ctl.data({ xml });
  ctl.print(xml);
  return true;
}

/** The "Persistent:" and "Autostart:" lines of net-info and pool-info; `doc` gets the same. */
export async function persistenceLines(
  obj: { isPersistent(): Promise<boolean>; getAutostart(): Promise<boolean> },
  doc: Record<string, unknown>,
): Promise<string> {
  const persistent = await orUndefined(() => obj.isPersistent());
  doc.persistent = persistent ?? null;
  const autostart = await orUndefined(() => obj.getAutostart());
  doc.autostart = autostart ?? null;
  return field('Persistent:', yesNoUnknown(persistent)) + field('Autostart:', autostartText(autostart));
}

/** The filter bits net-list and pool-list share. */
interface ListFilterBits {
  readonly INACTIVE: number;
  readonly ACTIVE: number;
  readonly PERSISTENT: number;
  readonly TRANSIENT: number;
  readonly AUTOSTART: number;
  readonly NO_AUTOSTART: number;
}

/** Active objects by default; --inactive, --all, --persistent, --transient, --autostart, --no-autostart. */
export function listFilterFlags(cmd: ParsedCommand, F: ListFilterBits): number {
  let flags = F.ACTIVE;
  if (cmd.bool('inactive')) flags = F.INACTIVE;
  if (cmd.bool('all')) flags = F.ACTIVE | F.INACTIVE;
  if (cmd.bool('persistent')) flags |= F.PERSISTENT;
  if (cmd.bool('transient')) flags |= F.TRANSIENT;
  if (cmd.bool('autostart')) flags |= F.AUTOSTART;
  if (cmd.bool('no-autostart')) flags |= F.NO_AUTOSTART;
  return flags;
}
