/** iothreadinfo, iothreadpin, iothreadadd and iothreaddel, as virsh 9.0 prints them. */
import type { Control } from '../control.js';
import { conn, optDomain } from '../lookup.js';
import { Table } from '../output/table.js';
import type { ParsedCommand } from '../parse-args.js';
import { AFFECT_OPTS, affectFlags, CURRENT_EXCLUSIVE, exclusive, orFail } from './common.js';
import { cpumapText, hostCpuCount, parseCpuListOpt, uintOpt } from './cpu-list.js';
import { type CommandDef, opt } from './types.js';

async function succeeds(ctl: Control, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    ctl.saveError(e);
    return false;
  }
}

/** virsh reads the id as a signed int and refuses anything below 1 itself. */
function iothreadId(ctl: Control, cmd: ParsedCommand): number | undefined {
  const text = cmd.string('id') ?? '';
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(text);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n >= -0x80000000 && n <= 0x7fffffff)) {
    ctl.error(`Numeric value '${text}' for <id> option is malformed or out of range`);
    return undefined;
  }
  if (n <= 0) {
    ctl.error(`Invalid IOThread id value: '${n}'`);
    return undefined;
  }
  return n;
}

export const iothreadinfo: CommandDef = {
  name: 'iothreadinfo',
  group: 'domain',
  help: 'view domain IOThreads',
  desc: 'Returns basic information about the domain IOThreads.',
  opts: [opt.data('domain', 'domain name, id or uuid'), ...AFFECT_OPTS],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const maxcpu = await orFail(ctl, () => hostCpuCount(conn(ctl)));
    if (maxcpu === undefined) return false;
    const info = await orFail(
      ctl,
      () => dom.getIOThreadInfo(affectFlags(cmd)),
      'Unable to get domain IOThreads information',
    );
    if (info === undefined) return false;
    if (info.length === 0) {
      ctl.data([]);
      ctl.printExtra('No IOThreads found for the domain');
      return true;
    }
    const table = new Table(['IOThread ID', 'CPU Affinity']);
    const rows = info.map((t) => ({ id: t.iothreadId, affinity: cpumapText(t.cpumap, maxcpu) }));
    for (const r of rows) table.add(String(r.id), r.affinity);
    ctl.data(rows);
    ctl.print(table.render());
    return true;
  },
};

export const iothreadpin: CommandDef = {
  name: 'iothreadpin',
  group: 'domain',
  help: 'control domain IOThread affinity',
  desc: 'Pin domain IOThreads to host physical CPUs.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('iothread', 'IOThread ID number', { required: true }),
    opt.string('cpulist', 'host cpu number(s) to set', { required: true, emptyOk: true }),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const id = uintOpt(ctl, cmd, 'iothread');
    if (id === false || id === undefined) return false;
    const maxcpu = await orFail(ctl, () => hostCpuCount(conn(ctl)));
    if (maxcpu === undefined) return false;
    const map = parseCpuListOpt(ctl, cmd.string('cpulist') ?? '', maxcpu);
    if (!map) return false;
    return succeeds(ctl, () => dom.pinIOThread(id, map, affectFlags(cmd)));
  },
};

function addOrDel(name: 'iothreadadd' | 'iothreaddel'): CommandDef {
  const add = name === 'iothreadadd';
  return {
    name,
    group: 'domain',
    help: add ? 'add an IOThread to the guest domain' : 'delete an IOThread from the guest domain',
    desc: add ? 'Add an IOThread to the guest domain.' : 'Delete an IOThread from the guest domain.',
    opts: [
      opt.data('domain', 'domain name, id or uuid'),
      opt.int('id', add ? 'iothread for the new IOThread' : 'iothread_id for the IOThread to delete', {
        required: true,
      }),
      ...AFFECT_OPTS,
    ],
    async run(ctl, cmd) {
      if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
      const { dom } = await optDomain(ctl, cmd);
      const id = iothreadId(ctl, cmd);
      if (id === undefined) return false;
      const flags = affectFlags(cmd);
      return succeeds(ctl, () => (add ? dom.addIOThread(id, flags) : dom.delIOThread(id, flags)));
    },
  };
}

export const iothreadadd = addOrDel('iothreadadd');
export const iothreaddel = addOrDel('iothreaddel');
