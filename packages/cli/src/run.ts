import { performance } from 'node:perf_hooks';
import type { Control } from './control.js';
import { CommandFailed } from './errors.js';
import type { ParsedCommand } from './parse-args.js';
import { openConnection } from './session.js';

/** Run one command: a VirError escaping it becomes the error reported after it. */
async function runOne(ctl: Control, cmd: ParsedCommand): Promise<boolean> {
  if (!cmd.def.noConnect && !ctl.conn) {
    const c = await openConnection(ctl, ctl.uri, ctl.readOnly);
    if (!c) {
      ctl.reportError();
      ctl.error('no valid connection');
      return false;
    }
    ctl.conn = c;
  }
  try {
    return await cmd.def.run(ctl, cmd);
  } catch (e) {
    if (e instanceof CommandFailed) return false;
    ctl.saveError(e);
    return false;
  }
}

/**
 * vshCommandRun: run the commands in order, each whatever the previous gave; the result is the
 * last command's. After each command a blank line (hidden by -q), or the timing with -t.
 */
export async function runCommands(ctl: Control, cmds: readonly ParsedCommand[]): Promise<boolean> {
  let ok = true;
  for (const cmd of cmds) {
    ctl.beginCommand();
    const started = performance.now();
    ok = await runOne(ctl, cmd);
    const elapsed = performance.now() - started;
    const cause = ctl.pendingError;
    if (!ok) ctl.reportError();
    ctl.endCommandJson(ok, cause);
    if (ctl.quitRequested) return ok;
    if (ctl.json) continue;
    // virsh prints no separating line after echo, whose output is the test of quoting.
    if (cmd.def.name === 'echo') continue;
    if (ctl.timing) ctl.print(`\n(Time: ${elapsed.toFixed(3)} ms)\n\n`);
    else ctl.printExtra('\n');
  }
  return ok;
}
