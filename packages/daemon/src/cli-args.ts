/** tsvirtd's command line: libvirtd's options that make sense here. */
export interface DaemonArgs {
  config?: string;
  listen: boolean;
  pidFile?: string;
  timeout?: number;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage:
  tsvirtd [options]

Options:
  -h | --help            Display program help
  -v | --verbose         Verbose messages
  -d | --daemon          (not supported: run tsvirtd under a service manager instead)
  -l | --listen          Listen for TCP/IP connections (listen_tcp in the config)
  -t | --timeout <secs>  Exit after timeout period with no clients
  -f | --config <file>   Configuration file (libvirtd.conf syntax)
  -V | --version         Display version information
  -p | --pid-file <file> Change name of PID file
`;

export class UsageError extends Error {}

export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  const a: DaemonArgs = { listen: false, verbose: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const opt = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option '${opt}' requires an argument`);
      return v;
    };
    switch (opt) {
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '-v':
      case '--verbose':
        a.verbose = true;
        break;
      case '-l':
      case '--listen':
        a.listen = true;
        break;
      case '-V':
      case '--version':
        a.version = true;
        break;
      case '-f':
      case '--config':
        a.config = value();
        break;
      case '-p':
      case '--pid-file':
        a.pidFile = value();
        break;
      case '-t':
      case '--timeout': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`Invalid value for timeout '${v}'`);
        a.timeout = Number(v);
        break;
      }
      case '-d':
      case '--daemon':
        throw new UsageError('--daemon is not supported: run tsvirtd in the foreground under a service manager');
      default:
        throw new UsageError(`unrecognized option '${raw}'`);
    }
  }
  return a;
}
