import type { CommandDef, OptDef } from './commands/types.js';
import type { Token } from './tokenize.js';

/** A command line that does not fit the grammar; nothing of the line is run. */
export class ParseError extends Error {
  constructor(readonly messages: readonly string[]) {
    super(messages.join('\n'));
  }
}

export type OptValue = true | string | string[];

/** One command with its options, as the command implementations read them. */
export class ParsedCommand {
  constructor(
    readonly def: CommandDef,
    readonly values: ReadonlyMap<string, OptValue>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }
  bool(name: string): boolean {
    return this.values.get(name) === true;
  }
  /** The raw value of a string/data option, or undefined when absent. */
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  argv(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

/** Where a command line comes from: argv words, or a tokenized command string. */
export type TokenSource = readonly Token[];

export function argvTokens(words: readonly string[]): Token[] {
  return words.map((text) => ({ kind: 'word' as const, text }));
}

const HELP_OPT: OptDef = { name: 'help', type: 'bool', help: 'print help for this function' };

/** Is this option filled by positional words (virsh's opts_need_arg)? */
function takesPositional(o: OptDef): boolean {
  return o.type !== 'bool' && !o.named;
}

/**
 * virsh's parser: every command of the line is parsed (and checked for required options)
 * before any runs. Options are `--name`, `--name value` or `--name=value`; other words fill the
 * positional options in order; after `--` every word is positional.
 */
export function parseCommandLine(
  tokens: TokenSource,
  lookup: (name: string) => CommandDef | undefined,
): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  let i = 0;
  const next = (): Token | undefined => tokens[i++];
  while (i < tokens.length) {
    let def: CommandDef | undefined;
    const values = new Map<string, OptValue>();
    const filled = new Set<string>();
    let dataOnly = false;
    let sawHelp = false;
    while (true) {
      const tok = next();
      if (!tok || tok.kind === 'end-command') break;
      const word = tok.text;
      if (!def) {
        def = lookup(word);
        if (!def) throw new ParseError([`unknown command: '${word}'`]);
        continue;
      }
      const isHelpCmd = def.name === 'help';
      if (!dataOnly && word.startsWith('--') && /^[A-Za-z0-9]/.test(word.slice(2))) {
        const eq = word.indexOf('=');
        const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
        const inline = eq >= 0 ? word.slice(eq + 1) : undefined;
        const o = name === 'help' ? HELP_OPT : def.opts.find((x) => x.name === name);
        if (!o) {
          if (isHelpCmd) continue;
          throw new ParseError([`command '${def.name}' doesn't support option --${name}`]);
        }
        if (o === HELP_OPT) {
          if (inline !== undefined) throw new ParseError([`invalid '=' after option --help`]);
          sawHelp = true;
          continue;
        }
        if (values.has(o.name) && o.type !== 'argv') throw new ParseError([`option --${name} already seen`]);
        if (o.type === 'bool') {
          if (inline !== undefined) throw new ParseError([`invalid '=' after option --${o.name}`]);
          values.set(o.name, true);
          continue;
        }
        let value = inline;
        if (value === undefined) {
          const t = tokens[i];
          if (!t || t.kind !== 'word') {
            throw new ParseError([`expected syntax: --${o.name} <${o.type === 'int' ? 'number' : 'string'}>`]);
          }
          i++;
          value = t.text;
        }
        store(values, o, value);
        filled.add(o.name);
        continue;
      }
      if (!dataOnly && word === '--') {
        dataOnly = true;
        continue;
      }
      const o = def.opts.find((x) => takesPositional(x) && (x.type === 'argv' || !filled.has(x.name)));
      if (!o) {
        if (isHelpCmd) continue;
        throw new ParseError([`unexpected data '${word}'`]);
      }
      if (o.type !== 'argv') filled.add(o.name);
      store(values, o, word);
    }
    if (!def) continue;
    if (sawHelp) {
      const help = lookup('help');
      if (help) {
        commands.push(new ParsedCommand(help, new Map([['command', def.name]])));
        continue;
      }
    }
    const missing = def.opts.filter((o) => o.required && !values.has(o.name));
    if (missing.length > 0) {
      throw new ParseError(
        missing.map((o) =>
          o.type === 'data' || o.type === 'argv'
            ? `command '${def.name}' requires <${o.name}> option`
            : `command '${def.name}' requires --${o.name} option`,
        ),
      );
    }
    commands.push(new ParsedCommand(def, values));
  }
  return commands;
}

function store(values: Map<string, OptValue>, o: OptDef, value: string): void {
  if (o.type === 'argv') {
    const prev = values.get(o.name);
    values.set(o.name, Array.isArray(prev) ? [...prev, value] : [value]);
  } else {
    values.set(o.name, value);
  }
}
