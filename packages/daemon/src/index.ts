export { type DaemonArgs, parseDaemonArgs, USAGE } from './cli-args.js';
export { ConfigError, type ConfValue, parseConf, readConf } from './config.js';
export { Daemon, type DaemonOptions } from './daemon.js';
export { Logger, LogLevel } from './logger.js';
export { openForClient } from './open.js';
export { daemonFromArgs, runDaemon, TSVIRTD_VERSION } from './run.js';
export { type AuthMode, checkSettings, type DaemonSettings, defaultSockDir, settingsFromConf } from './settings.js';
