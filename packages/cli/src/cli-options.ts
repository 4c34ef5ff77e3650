/**
 * tsvirsh's own options, parsed as virsh's getopt_long("+:c:d:e:hk:K:l:qrtvV") does: options
 * stop at the first word that is not one; short options may be bundled (-rq) and take their
 * value attached (-cURI) or as the next word; long options take `=value` or the next word and
 * may be abbreviated to any unique prefix.
 */

export interface GlobalOptions {
  uri?: string;
  readOnly: boolean;
  quiet: boolean;
  timing: boolean;
  json: boolean;
  debug?: string;
  logFile?: string;
  escape?: string;
  keepaliveInterval?: string;
  keepaliveCount?: string;
  /** 'short' (-v) or 'long' (-V) when a version was asked for. */
  version?: 'short' | 'long';
  help: boolean;
  /** The words after the options: the command(s). */
  rest: string[];
}

export class OptionError extends Error {}

type ArgKind = 'none' | 'required' | 'optional';
interface LongOpt {
  name: string;
  kind: ArgKind;
  short: string;
}

const LONG: readonly LongOpt[] = [
  { name: 'connect', kind: 'required', short: 'c' },
  { name: 'debug', kind: 'required', short: 'd' },
  { name: 'escape', kind: 'required', short: 'e' },
  { name: 'help', kind: 'none', short: 'h' },
  { name: 'keepalive-interval', kind: 'required', short: 'k' },
  { name: 'keepalive-count', kind: 'required', short: 'K' },
  { name: 'log', kind: 'required', short: 'l' },
  { name: 'quiet', kind: 'none', short: 'q' },
  { name: 'readonly', kind: 'none', short: 'r' },
  { name: 'timing', kind: 'none', short: 't' },
  { name: 'version', kind: 'optional', short: 'v' },
  { name: 'json', kind: 'none', short: '' },
];

const SHORT_WITH_ARG = new Set(['c', 'd', 'e', 'k', 'K', 'l']);
const SHORT_FLAGS = new Set(['h', 'q', 'r', 't', 'v', 'V']);

function apply(opts: GlobalOptions, key: string, value: string | undefined): void {
  switch (key) {
    case 'c':
      opts.uri = value;
      break;
    case 'd':
      if (value === undefined || !/^\d+$/.test(value)) throw new OptionError(`option -d takes a numeric argument`);
      opts.debug = value;
      break;
    case 'e':
      opts.escape = value;
      break;
    case 'k':
      opts.keepaliveInterval = value;
      break;
    case 'K':
      opts.keepaliveCount = value;
      break;
    case 'l':
      opts.logFile = value;
      break;
    case 'h':
      opts.help = true;
      break;
    case 'q':
      opts.quiet = true;
      break;
    case 'r':
      opts.readOnly = true;
      break;
    case 't':
      opts.timing = true;
      break;
    case 'v':
      opts.version = value === 'long' ? 'long' : 'short';
      break;
    case 'V':
      opts.version = 'long';
      break;
    case 'json':
      opts.json = true;
      break;
  }
}

export function parseGlobalOptions(argv: readonly string[]): GlobalOptions {
  const opts: GlobalOptions = { readOnly: false, quiet: false, timing: false, json: false, help: false, rest: [] };
  let i = 0;
  while (i < argv.length) {
    const word = argv[i] as string;
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
      const exact = LONG.find((o) => o.name === name);
      const matches = exact ? [exact] : LONG.filter((o) => o.name.startsWith(name));
      if (matches.length !== 1 || name === '') {
        throw new OptionError(
          matches.length > 1
            ? `option '${word}' is ambiguous. See --help.`
            : `unsupported option '${word}'. See --help.`,
        );
      }
      const o = matches[0] as LongOpt;
      let value: string | undefined = eq >= 0 ? word.slice(eq + 1) : undefined;
      if (o.kind === 'none' && value !== undefined) throw new OptionError(`unsupported option '${word}'. See --help.`);
      if (o.kind === 'required' && value === undefined) {
        if (i + 1 >= argv.length) throw new OptionError(`option '-${o.short}'/'--${o.name}' requires an argument`);
        value = argv[++i];
      }
      apply(opts, o.short || o.name, value);
      i++;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const ch = word[j] as string;
        if (SHORT_WITH_ARG.has(ch)) {
          let value = word.slice(j + 1);
          if (value === '') {
            if (i + 1 >= argv.length) {
              const long = LONG.find((o) => o.short === ch);
              throw new OptionError(
                long ? `option '-${ch}'/'--${long.name}' requires an argument` : `option '-${ch}' requires an argument`,
              );
            }
            value = argv[++i] as string;
          }
          apply(opts, ch, value);
          break;
        }
        if (!SHORT_FLAGS.has(ch)) throw new OptionError(`unsupported option '-${ch}'. See --help.`);
        apply(opts, ch, undefined);
      }
      i++;
      continue;
    }
    break;
  }
  opts.rest = argv.slice(i);
  return opts;
}

/** `tsvirsh --help`: virsh's usage text with tsvirsh's name and its --json option. */
export function usage(progname: string, commandListing: string): string {
  return `
${progname} [options]... [<command_string>]
${progname} [options]... <command> [args...]

  options:
    -c | --connect=URI      hypervisor connection URI
    -d | --debug=NUM        debug level [0-4]
    -e | --escape <char>    set escape sequence for console
    -h | --help             this help
    -k | --keepalive-interval=NUM
                            keepalive interval in seconds, 0 for disable
    -K | --keepalive-count=NUM
                            number of possible missed keepalive messages
    -l | --log=FILE         output logging to file
    -q | --quiet            quiet mode
    -r | --readonly         connect readonly
    -t | --timing           print timing information
    -v                      short version
    -V                      long version
         --version[=TYPE]   version, TYPE is short or long (default short)
         --json             print one JSON document per command (tsvirt extension)
  commands (non interactive mode):

${commandListing}
  (specify help <group> for details about the commands in the group)

  (specify help <command> for details about the command)

`;
}
