#!/usr/bin/env node
import { runCli } from './cli.js';

// A reader that goes away early (`tsvirsh list | head -1`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** The `tsvirsh` command: its exit status is the status of the last command (virsh's rule). */
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  input: process.stdin,
  output: process.stdout,
});
process.exitCode = code;
