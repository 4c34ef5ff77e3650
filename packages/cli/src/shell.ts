import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandTable } from './commands/help.js';
import type { Control } from './control.js';
import { type ParsedCommand, ParseError, parseCommandLine } from './parse-args.js';
import { runCommands } from './run.js';
import { TokenizeError, tokenize } from './tokenize.js';

export interface ShellIo {
  readonly input: Readable & { isTTY?: boolean };
  readonly output: Writable;
}

/** Parse and run one line of the shell; parse errors are printed and nothing of the line runs. */
export async function runLine(ctl: Control, table: CommandTable, line: string): Promise<boolean> {
  let cmds: ParsedCommand[];
  try {
    cmds = parseCommandLine(tokenize(line), (n) => table.find(n));
  } catch (e) {
    if (e instanceof ParseError) {
      for (const m of e.messages) ctl.error(m);
      return false;
    }
    if (e instanceof TokenizeError) {
      ctl.error(e.message);
      return false;
    }
    throw e;
  }
  return runCommands(ctl, cmds);
}

/**
 * The interactive shell. On a terminal it is a readline prompt; otherwise it behaves as virsh
 * with readline on a pipe: each line read is echoed after the prompt, and a lone prompt and a
 * newline are printed at the end of input.
 */
export async function interactive(ctl: Control, table: CommandTable, io: ShellIo): Promise<void> {
  ctl.interactive = true;
  ctl.printExtra(
    `Welcome to ${ctl.progname}, the virtualization interactive terminal.\n\n` +
      "Type:  'help' for help with commands\n" +
      "       'quit' to quit\n\n",
  );
  const prompt = () => `${ctl.progname} ${ctl.readOnly ? '>' : '#'} `;
  const tty = io.input.isTTY === true;
  const rl = createInterface({ input: io.input, output: tty ? io.output : undefined, terminal: tty });
  let atEof = true;
  if (tty) {
    rl.setPrompt(prompt());
    rl.prompt();
  } else {
    ctl.out.stdout(prompt());
  }
  for await (const line of rl) {
    if (!tty) ctl.out.stdout(`${line}\n`);
    await runLine(ctl, table, line);
    if (ctl.quitRequested) {
      atEof = false;
      break;
    }
    if (tty) {
      rl.setPrompt(prompt());
      rl.prompt();
    } else {
      ctl.out.stdout(prompt());
    }
  }
  rl.close();
  ctl.out.stdout('\n');
  void atEof;
}
