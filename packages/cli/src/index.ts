export { type CliIo, runCli } from './cli.js';
export { OptionError, parseGlobalOptions } from './cli-options.js';
export { commandTable } from './commands/index.js';
export { capacityText, prettyCapacity } from './output/format.js';
export { displayWidth, Table } from './output/table.js';
export { argvTokens, ParsedCommand, ParseError, parseCommandLine } from './parse-args.js';
export { splitCommands, TokenizeError, tokenize } from './tokenize.js';
