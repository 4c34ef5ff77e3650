import { describe, expect, it } from 'vitest';
import { type CommandDef, opt } from '../src/commands/types.js';
import { argvTokens, ParseError, parseCommandLine } from '../src/parse-args.js';
import { tokenize } from '../src/tokenize.js';

const run = async () => true;
const defs: CommandDef[] = [
  { name: 'dominfo', group: 'monitor', help: '', desc: '', opts: [opt.data('domain', 'd')], run },
  { name: 'list', group: 'monitor', help: '', desc: '', opts: [opt.bool('all', ''), opt.bool('name', '')], run },
  {
    name: 'vol-info',
    group: 'volume',
    help: '',
    desc: '',
    opts: [opt.data('vol', ''), opt.string('pool', ''), opt.bool('bytes', '')],
    run,
  },
  {
    name: 'dumpxml',
    group: 'domain',
    help: '',
    desc: '',
    opts: [opt.data('domain', ''), opt.string('xpath', '', { named: true })],
    run,
  },
  { name: 'echo', group: 'virsh', help: '', desc: '', opts: [opt.bool('shell', ''), opt.argv('string', '')], run },
  { name: 'help', group: 'virsh', help: '', desc: '', opts: [opt.string('command', '')], run },
  {
    name: 'create-as',
    group: 'volume',
    help: '',
    desc: '',
    opts: [opt.data('pool', ''), opt.data('name', ''), opt.data('capacity', '')],
    run,
  },
];
const find = (n: string) => defs.find((d) => d.name === n);
const parse = (line: string) => parseCommandLine(tokenize(line), find);
const errorsOf = (line: string): readonly string[] => {
  try {
    parse(line);
  } catch (e) {
    if (e instanceof ParseError) return e.messages;
    throw e;
  }
  return [];
};

describe('virsh option grammar', () => {
  it('fills data options positionally or by name', () => {
    for (const line of ['dominfo test', 'dominfo --domain test', 'dominfo --domain=test', 'dominfo -- test']) {
      const [cmd] = parse(line);
      expect(cmd?.string('domain')).toBe('test');
    }
  });
  it('reads bool options and refuses a value for them', () => {
    const [cmd] = parse('list --all');
    expect(cmd?.bool('all')).toBe(true);
    expect(cmd?.bool('name')).toBe(false);
    expect(errorsOf('list --all=1')).toEqual(["invalid '=' after option --all"]);
  });
  it('fills string options positionally unless they are named-only', () => {
    const [cmd] = parse('vol-info v1 default-pool --bytes');
    expect(cmd?.string('pool')).toBe('default-pool');
    expect(errorsOf('dumpxml test /x')).toEqual(["unexpected data '/x'"]);
    expect(parse('dumpxml test --xpath /x')[0]?.string('xpath')).toBe('/x');
  });
  it('words after -- are data, even when they look like options', () => {
    expect(parse('dominfo -- --domain')[0]?.string('domain')).toBe('--domain');
    expect(parse('dominfo -x')[0]?.string('domain')).toBe('-x');
  });
  it('gives virsh error messages', () => {
    expect(errorsOf('nosuch x')).toEqual(["unknown command: 'nosuch'"]);
    expect(errorsOf('dominfo')).toEqual(["command 'dominfo' requires <domain> option"]);
    expect(errorsOf('dominfo --')).toEqual(["command 'dominfo' requires <domain> option"]);
    expect(errorsOf('dominfo test --bogus')).toEqual(["command 'dominfo' doesn't support option --bogus"]);
    expect(errorsOf('dominfo test extra')).toEqual(["unexpected data 'extra'"]);
    expect(errorsOf('dominfo test --domain test')).toEqual(['option --domain already seen']);
    expect(errorsOf('list --all --all')).toEqual(['option --all already seen']);
    expect(errorsOf('dominfo --domain')).toEqual(['expected syntax: --domain <string>']);
    expect(errorsOf('dominfo --domain; list')).toEqual(['expected syntax: --domain <string>']);
    expect(errorsOf('create-as')).toEqual([
      "command 'create-as' requires <pool> option",
      "command 'create-as' requires <name> option",
      "command 'create-as' requires <capacity> option",
    ]);
  });
  it('parses the whole line before anything runs', () => {
    expect(errorsOf('dominfo test; nosuch')).toEqual(["unknown command: 'nosuch'"]);
    expect(parse('dominfo a; list --all; dominfo b').map((c) => c.def.name)).toEqual(['dominfo', 'list', 'dominfo']);
  });
  it('collects argv options', () => {
    expect(parse('echo a b --shell c')[0]?.argv('string')).toEqual(['a', 'b', 'c']);
  });
  it('turns --help into help for the command', () => {
    const [cmd] = parse('dominfo --help');
    expect(cmd?.def.name).toBe('help');
    expect(cmd?.string('command')).toBe('dominfo');
  });
  it('lets help ignore unknown options and extra words', () => {
    expect(parse('help list extra --bogus')[0]?.string('command')).toBe('list');
  });
  it('treats each argv word as one token (no ; splitting)', () => {
    const cmds = parseCommandLine(argvTokens(['echo', 'a;b', 'c d']), find);
    expect(cmds[0]?.argv('string')).toEqual(['a;b', 'c d']);
  });
});
