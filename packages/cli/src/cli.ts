import { fileURLToPath } from 'node:url';
import { OptionError, parseGlobalOptions, usage } from './cli-options.js';
import { allGroupsListing } from './commands/help.js';
import { commandTable } from './commands/index.js';
import { Control, type Output } from './control.js';
import { argvTokens, type ParsedCommand, ParseError, parseCommandLine } from './parse-args.js';
import { runCommands } from './run.js';
import { closeConnection, openConnection } from './session.js';
import { interactive, type ShellIo } from './shell.js';
import { TokenizeError, tokenize } from './tokenize.js';
import { cliVersion } from './version.js';

export interface CliIo extends Output, Partial<ShellIo> {}

/** The directory of this package: drivers installed next to tsvirsh are found from here. */
function packageDir(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

function longVersion(progname: string): string {
  return (
    `${progname} command line tool of tsvirt ${cliVersion()}\n` +
    'See web site at https://libvirt.org/ for the commands and formats it follows\n\n' +
    'Drivers are found at run time; this build looks for them next to the @tsvirt/cli package.\n'
  );
}

/**
 * Run tsvirsh with `argv` (without node and the script): the exit status, as virsh's: 0 when
 * the last command succeeded (always 0 for an interactive session), else 1.
 */
export async function runCli(argv: readonly string[], io: CliIo, progname = 'tsvirsh'): Promise<number> {
  const err = (m: string) => io.stderr(`error: ${m}\n`);
  let opts: ReturnType<typeof parseGlobalOptions>;
  try {
    opts = parseGlobalOptions(argv);
  } catch (e) {
    if (e instanceof OptionError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
  if (opts.help) {
    io.stdout(usage(progname, allGroupsListing(commandTable).replace(/\):\n/g, ')\n')));
    return 0;
  }
  if (opts.version === 'short') {
    io.stdout(`${cliVersion()}\n`);
    return 0;
  }
  if (opts.version === 'long') {
    io.stdout(longVersion(progname));
    return 0;
  }

  // The whole command line is parsed before anything connects or runs.
  let cmds: ParsedCommand[] | undefined;
  if (opts.rest.length > 0) {
    if (opts.rest.length === 1 && opts.rest[0] === '') return 1;
    try {
      const tokens = opts.rest.length === 1 ? tokenize(opts.rest[0] as string) : argvTokens(opts.rest);
      cmds = parseCommandLine(tokens, (n) => commandTable.find(n));
    } catch (e) {
      if (e instanceof ParseError) {
        for (const m of e.messages) err(m);
        return 1;
      }
      if (e instanceof TokenizeError) {
        err(e.message);
        return 1;
      }
      throw e;
    }
  }

  const ctl = new Control(io, {
    quiet: opts.quiet,
    json: opts.json,
    timing: opts.timing,
    readOnly: opts.readOnly,
    uri: opts.uri,
    searchPaths: [packageDir()],
    progname,
    ...(opts.escape !== undefined ? { escape: opts.escape } : {}),
  });
  const conn = await openConnection(ctl, opts.uri, opts.readOnly);
  if (!conn) {
    ctl.reportError();
    return 1;
  }
  ctl.conn = conn;
  try {
    if (cmds) return (await runCommands(ctl, cmds)) ? 0 : 1;
    await interactive(ctl, commandTable, {
      input: io.input ?? process.stdin,
      output: io.output ?? process.stdout,
    });
    return 0;
  } finally {
    await closeConnection(ctl);
  }
}
