import { closeConnection, openConnection } from '../session.js';
import { type CommandDef, opt } from './types.js';

const SHELL_SPECIAL = /[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]/;

/** virBufferEscapeShell: quote a word for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (!SHELL_SPECIAL.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

function xmlEscape(word: string): string {
  return word
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const echo: CommandDef = {
  name: 'echo',
  group: 'virsh',
  help: 'echo arguments. Used for internal testing.',
  desc: 'Echo back arguments, possibly with quoting. Used for internal testing.',
  noConnect: true,
  opts: [
    opt.bool('shell', 'escape for shell use'),
    opt.bool('xml', 'escape for XML use'),
    opt.bool('split', "split each argument on ','; ',,' is an escape sequence"),
    opt.bool('err', 'output to stderr'),
    opt.argv('string', 'arguments to echo'),
  ],
  async run(ctl, cmd) {
    const quote = (w: string): string => {
      let s = w;
      if (cmd.bool('xml')) s = xmlEscape(s);
      if (cmd.bool('shell')) s = shellQuote(s);
      return s;
    };
    // With --split, every piece of an argument is followed by a newline, as in virsh.
    const pieces = (w: string): string =>
      w
        .split(/(?<!,),(?!,)/)
        .map((p) => `${quote(p.replace(/,,/g, ','))}\n`)
        .join('');
    const out = cmd
      .argv('string')
      .map((w) => (cmd.bool('split') ? pieces(w) : quote(w)))
      .join(' ');
    if (cmd.bool('err')) ctl.error(out);
    else ctl.print(`${out}\n`);
    ctl.data({ output: out });
    return true;
  },
};

function quit(name: 'quit' | 'exit'): CommandDef {
  return {
    name,
    group: 'virsh',
    help: 'quit this interactive terminal',
    desc: '',
    noConnect: true,
    opts: [],
    async run(ctl) {
      ctl.quitRequested = true;
      return true;
    },
  };
}

const connectCmd: CommandDef = {
  name: 'connect',
  group: 'virsh',
  help: '(re)connect to hypervisor',
  desc: 'Connect to local hypervisor. This is built-in command after shell start up.',
  noConnect: true,
  opts: [
    opt.string('name', 'hypervisor connection URI', { emptyOk: true }),
    opt.bool('readonly', 'read-only connection'),
  ],
  async run(ctl, cmd) {
    const name = cmd.string('name');
    const readOnly = cmd.bool('readonly');
    const fresh = await openConnection(ctl, name, readOnly);
    if (!fresh) return false;
    await closeConnection(ctl);
    ctl.conn = fresh;
    ctl.uri = name;
    ctl.readOnly = readOnly;
    ctl.data({ uri: fresh.getUri(), readOnly });
    return true;
  },
};

export const virshCommands: readonly CommandDef[] = [echo, quit('exit'), quit('quit'), connectCmd];
