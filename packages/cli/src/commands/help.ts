import type { Control } from '../control.js';
import { padRight } from '../output/format.js';
import { type CommandDef, GROUPS, type OptDef, opt } from './types.js';

export interface CommandTable {
  find(name: string): CommandDef | undefined;
  all(): readonly CommandDef[];
}

function groupListing(table: CommandTable, key: string): string {
  const g = GROUPS.find((x) => x.key === key);
  if (!g) return '';
  let out = ` ${g.name} (help keyword '${g.key}'):\n`;
  for (const c of table.all().filter((x) => x.group === g.key)) out += `    ${padRight(c.name, 30)} ${c.help}\n`;
  return out;
}

/** Every group, as `help` without arguments prints them. */
export function allGroupsListing(table: CommandTable): string {
  let out = '';
  for (const g of GROUPS) out += `${groupListing(table, g.key)}\n`;
  return out;
}

function synopsisPart(o: OptDef, shortopt: boolean): string {
  switch (o.type) {
    case 'bool':
      return `[--${o.name}]`;
    case 'int':
      return o.required ? `<${o.name}>` : `[--${o.name} <number>]`;
    case 'string':
      return `[--${o.name} <string>]`;
    case 'data':
      return o.required ? `<${o.name}>` : `[<${o.name}>]`;
    case 'argv':
      if (shortopt) return o.required ? `{[--${o.name}] <string>}...` : `[[--${o.name}] <string>]...`;
      return o.required ? `<${o.name}>...` : `[<${o.name}>]...`;
  }
}

function optionLabel(o: OptDef, shortopt: boolean): string {
  switch (o.type) {
    case 'bool':
      return `--${o.name}`;
    case 'int':
      return o.required ? `[--${o.name}] <number>` : `--${o.name} <number>`;
    case 'string':
      return `--${o.name} <string>`;
    case 'data':
      return `[--${o.name}] <string>`;
    case 'argv':
      return shortopt ? `[--${o.name}] <string>` : `<${o.name}>`;
  }
}

/** vshCmddefHelp: NAME, SYNOPSIS, DESCRIPTION and OPTIONS of one command. */
export function commandHelp(def: CommandDef): string {
  let out = `  NAME\n    ${def.name} - ${def.help}\n`;
  out += `\n  SYNOPSIS\n    ${def.name}`;
  let shortopt = false;
  for (const o of def.opts) {
    out += ` ${synopsisPart(o, shortopt)}`;
    if ((o.type === 'int' || o.type === 'string' || o.type === 'data') && !o.named) shortopt = true;
  }
  out += '\n';
  if (def.desc !== '') out += `\n  DESCRIPTION\n    ${def.desc}\n`;
  if (def.opts.length > 0) {
    out += '\n  OPTIONS\n';
    let so = false;
    for (const o of def.opts) {
      if (o.type === 'argv') out += `    ${padRight(optionLabel(o, so), 15)}  ${o.help}\n`;
      else out += `    ${padRight(optionLabel(o, so), 15)}  ${o.help}\n`;
      if ((o.type === 'int' || o.type === 'string' || o.type === 'data') && !o.named) so = true;
    }
  }
  out += '\n';
  return out;
}

export function helpCommand(table: CommandTable): CommandDef {
  return {
    name: 'help',
    group: 'virsh',
    help: 'print help',
    desc: 'Prints global help, command specific help, or help for a\n    group of related commands',
    noConnect: true,
    opts: [opt.string('command', 'Prints global help, command specific help, or help for a group of related commands')],
    async run(ctl: Control, cmd) {
      const name = cmd.string('command');
      if (name === undefined || name === '') {
        ctl.print(`Grouped commands:\n\n${allGroupsListing(table)}`);
        return true;
      }
      const def = table.find(name);
      if (def) {
        ctl.data({
          command: def.name,
          help: def.help,
          options: def.opts.map((o) => ({ name: o.name, type: o.type, required: !!o.required, help: o.help })),
        });
        ctl.print(commandHelp(def));
        return true;
      }
      const group = GROUPS.find((g) => g.key === name || g.name === name);
      if (group) {
        ctl.print(groupListing(table, group.key));
        return true;
      }
      ctl.error(`command or command group '${name}' doesn't exist`);
      return false;
    },
  };
}
