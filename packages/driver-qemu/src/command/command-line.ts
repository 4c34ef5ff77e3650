/** The built command: environment, binary and arguments, and the two textual forms libvirt prints. */

export interface QemuCommandLine {
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly binary: string;
  readonly args: readonly string[];
}

/** Characters that make a shell word need quoting (the set libvirt's shell escaping uses). */
const SHELL_SPECIAL = /[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]/;

export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (!SHELL_SPECIAL.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function words(cmd: QemuCommandLine): string[] {
  return [...cmd.env.map(([k, v]) => `${k}=${shellQuote(v)}`), shellQuote(cmd.binary), ...cmd.args.map(shellQuote)];
}

/** One line, as `virsh domxml-to-native qemu-argv` prints it. */
export function formatNativeArgv(cmd: QemuCommandLine): string {
  return `${words(cmd).join(' ')}\n`;
}

/**
 * One option per line with backslash continuations, the layout of libvirt's *.args test files:
 * every word starting with '-' begins a line, any other word joins the line before it.
 */
export function formatArgvLines(cmd: QemuCommandLine): string {
  const lines: string[] = [];
  for (const [k, v] of cmd.env) lines.push(`${k}=${shellQuote(v)}`);
  lines.push(shellQuote(cmd.binary));
  for (const arg of cmd.args) {
    const q = shellQuote(arg);
    if (arg.startsWith('-')) lines.push(q);
    else lines[lines.length - 1] += ` ${q}`;
  }
  return `${lines.join(' \\\n')}\n`;
}
