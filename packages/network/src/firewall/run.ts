/** Runs firewall transactions through a command executor, undoing everything applied on failure. */
import type { Argv, FirewallStep, FirewallTransaction } from './types.js';

/** Runs one command and resolves with its standard output; rejects when the command fails. */
export type CommandExecutor = (argv: Argv) => Promise<string>;

/**
 * Runs the transactions in order. Resolves with the commands that remove what was added, in the
 * order to run them (newest first). When a step that may not fail fails, what this call already
 * applied is taken back and the error is rethrown.
 */
export async function runTransactions(
  transactions: readonly FirewallTransaction[],
  exec: CommandExecutor,
): Promise<Argv[]> {
  const undo: Argv[] = [];
  try {
    for (const transaction of transactions) {
      const queue: FirewallStep[] = [...transaction];
      for (let i = 0; i < queue.length; i++) {
        const step = queue[i]!;
        let output: string;
        try {
          output = await exec(step.argv);
        } catch (err) {
          if (!step.ignoreErrors) throw err;
          // A failed query (say, listing a table that does not exist yet) reads as empty.
          if (step.next) queue.push(...step.next(''));
          continue;
        }
        const back = step.undo?.(output);
        if (back) undo.unshift(back);
        if (step.next) queue.push(...step.next(output));
      }
    }
  } catch (err) {
    await runUndo(undo, exec);
    throw err;
  }
  return undo;
}

/** Runs removal commands, carrying on past failures (a rule may already be gone). */
export async function runUndo(commands: readonly Argv[], exec: CommandExecutor): Promise<void> {
  for (const argv of commands) {
    try {
      await exec(argv);
    } catch {
      // Best effort, as libvirt's removal transactions.
    }
  }
}
