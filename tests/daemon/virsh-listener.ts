/** A real `virsh event` listener kept running while a test acts, for event comparisons. */
import { spawn } from 'node:child_process';
import type { RunResult } from '../cli/run-both.js';

/** Run `virsh -c URI <listen...>` while `act` runs; resolves with what the listener printed. */
export async function listenWhile(uri: string, listen: string[], act: () => Promise<unknown>): Promise<RunResult> {
  const child = spawn('virsh', ['-c', uri, ...listen], { env: { ...process.env, LC_ALL: 'C' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  // virsh registers its callbacks right after connecting; give it that moment.
  await new Promise((r) => setTimeout(r, 700));
  await act();
  const status = await done;
  return { stdout, stderr, status };
}
