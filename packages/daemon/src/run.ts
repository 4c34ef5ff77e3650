import { type DaemonArgs, parseDaemonArgs, USAGE, UsageError } from './cli-args.js';
import { readConf } from './config.js';
import { Daemon } from './daemon.js';
import { Logger, LogLevel } from './logger.js';
import { checkSettings, settingsFromConf } from './settings.js';

export const TSVIRTD_VERSION = '0.1.0';

/** Build a daemon from tsvirtd's arguments (config read and checked, nothing listening yet). */
export async function daemonFromArgs(args: DaemonArgs): Promise<Daemon> {
  const conf = args.config ? await readConf(args.config) : new Map();
  const settings = settingsFromConf(conf);
  if (args.verbose) settings.logLevel = LogLevel.DEBUG;
  checkSettings(settings, args.listen);
  const logger = new Logger(settings.logLevel, args.verbose ? undefined : settings.logOutputs);
  return new Daemon({ settings, listen: args.listen, pidFile: args.pidFile, timeoutSeconds: args.timeout, logger });
}

/** The tsvirtd command: serves until SIGTERM/SIGINT (or --timeout), then shuts down cleanly. */
export async function runDaemon(argv: readonly string[]): Promise<number> {
  let args: DaemonArgs;
  try {
    args = parseDaemonArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`tsvirtd: ${err.message}\n${USAGE}`);
    return 1;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`tsvirtd (tsvirt) ${TSVIRTD_VERSION}\n`);
    return 0;
  }
  let daemon: Daemon;
  try {
    daemon = await daemonFromArgs(args);
    await daemon.start();
  } catch (err) {
    process.stderr.write(`tsvirtd: error: ${(err as Error).message}\n`);
    return 1;
  }
  const onSignal = (): void => {
    void daemon.stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Wait until stop() has been called (signal or --timeout) and has finished.
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const stopped = daemon.stopped;
      if (stopped) {
        clearInterval(poll);
        stopped.then(resolve, resolve);
      }
    }, 100);
  });
  return 0;
}
