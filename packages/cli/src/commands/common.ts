import type { Control } from '../control.js';
import { readXmlFile } from '../files.js';
import { requiredString } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';

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
