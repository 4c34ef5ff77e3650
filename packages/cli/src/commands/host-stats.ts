import type { Control } from '../control.js';
import { CommandFailed } from '../errors.js';
import { conn, parseCInt, requiredString } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

/** virsh's vshCommandOptInt: absent gives `fallback`; anything but a C int is its "malformed" error. */
function intOpt(ctl: Control, cmd: ParsedCommand, name: string, fallback: number): number {
  const text = cmd.string(name);
  if (text === undefined) return fallback;
  const n = parseCInt(text);
  if (n === undefined) {
    ctl.error(`Numeric value '${text}' for <${name}> option is malformed or out of range`);
    throw new CommandFailed();
  }
  return n;
}

const kib = (bytes: bigint) => bytes / 1024n;

/** The NUMA cell ids the host's capabilities list, in their order. */
function cellIds(capabilities: string): number[] {
  const topology = /<topology>[\s\S]*?<\/topology>/.exec(capabilities)?.[0] ?? '';
  return [...topology.matchAll(/<cell\s+id='(\d+)'/g)].map((m) => Number(m[1]));
}

const freecell: CommandDef = {
  name: 'freecell',
  group: 'host',
  help: 'NUMA free memory',
  desc: 'display available free memory for the NUMA cell.',
  opts: [opt.int('cellno', 'NUMA cell number'), opt.bool('all', 'show free memory for all NUMA cells')],
  async run(ctl, cmd) {
    const all = cmd.bool('all');
    if (all && cmd.has('cellno')) {
      ctl.error('Options --all and --cellno are mutually exclusive');
      return false;
    }
    const c = conn(ctl);
    if (!all) {
      if (cmd.has('cellno')) {
        const cell = intOpt(ctl, cmd, 'cellno', -1);
        const free = await orFail(ctl, () => c.getCellsFreeMemory(cell, 1));
        if (free?.length !== 1) return false;
        ctl.data({ cell, free: Number(free[0]) });
        ctl.print(`${cell}: ${kib(free[0] as bigint)} KiB\n`);
        return true;
      }
      const total = await orFail(ctl, () => c.getFreeMemory());
      if (total === undefined) return false;
      // libvirt's API signals failure with 0, so a host with no free memory is an error without a cause.
      if (total === 0) {
        ctl.error('An error occurred, but the cause is unknown');
        return false;
      }
      ctl.data({ total });
      ctl.print(`Total: ${Math.floor(total / 1024)} KiB\n`);
      return true;
    }
    const caps = await orFail(ctl, () => c.getCapabilities(), 'unable to get node capabilities');
    if (caps === undefined) return false;
    const cells: { id: number; free: bigint }[] = [];
    for (const id of cellIds(caps)) {
      const free = await orFail(ctl, () => c.getCellsFreeMemory(id, 1));
      if (free?.length !== 1) {
        ctl.error(`failed to get free memory for NUMA node number: ${id}`);
        return false;
      }
      cells.push({ id, free: free[0] as bigint });
    }
    let out = '';
    for (const { id, free } of cells) out += `${String(id).padStart(5)}: ${String(kib(free)).padStart(10)} KiB\n`;
    const total = cells.reduce((sum, x) => sum + x.free, 0n);
    ctl.data({ cells: cells.map((x) => ({ cell: x.id, free: Number(x.free) })), total: Number(total) });
    ctl.print(out);
    ctl.printExtra('--------------------\n');
    ctl.printExtra(`${'Total'.padStart(5)}: ${String(kib(total)).padStart(10)} KiB\n`);
    return true;
  },
};

/** virsh's labels for the node CPU stats fields it knows, in its order. */
const CPU_FIELDS: readonly [string, string][] = [
  ['user', 'user:'],
  ['kernel', 'system:'],
  ['idle', 'idle:'],
  ['iowait', 'iowait:'],
  ['intr', 'intr:'],
];

/** C's "%5.1lf": a NaN from 0/0 prints as glibc prints x86's default NaN. */
function percent(value: number): string {
  return (Number.isNaN(value) ? '-nan' : value.toFixed(1)).padStart(5);
}

const nodecpustats: CommandDef = {
  name: 'nodecpustats',
  group: 'host',
  help: 'Prints cpu stats of the node.',
  desc: 'Returns cpu stats of the node, in nanoseconds.',
  opts: [
    opt.int('cpu', 'prints specified cpu statistics only.'),
    opt.bool('percent', 'prints by percentage during 1 second.'),
  ],
  async run(ctl, cmd) {
    const cpu = intOpt(ctl, cmd, 'cpu', -1);
    const wantPercent = cmd.bool('percent');
    const c = conn(ctl);
    const first = await orFail(ctl, () => c.getCpuStats(cpu, 0), 'Unable to get number of cpu stats');
    if (first === undefined) return false;
    if (first.length === 0) return true;
    const value = new Map(first.map((s) => [s.field, s.value]));
    const usage = value.get('utilization');
    if (!wantPercent) {
      const present = CPU_FIELDS.filter(([f]) => value.has(f));
      ctl.data(Object.fromEntries(present.map(([f]) => [f, Number(value.get(f))])));
      ctl.print(present.map(([f, label]) => `${label.padEnd(15)} ${String(value.get(f)).padStart(20)}\n`).join(''));
      return true;
    }
    if (usage !== undefined) {
      ctl.data({ usage: Number(usage), idle: 100 - Number(usage) });
      ctl.print(
        `${'usage:'.padEnd(15)} ${String(usage).padStart(5)}%\n${'idle:'.padEnd(15)} ${String(100n - usage).padStart(5)}%\n`,
      );
      return true;
    }
    // As virsh: a second sample one second later; percentages of the difference.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await orFail(ctl, () => c.getCpuStats(cpu, 0), 'Unable to get node cpu stats');
    if (second === undefined) return false;
    const later = new Map(second.map((s) => [s.field, s.value]));
    const present = CPU_FIELDS.filter(([f]) => value.has(f));
    const delta = new Map(present.map(([f]) => [f, Number((later.get(f) ?? 0n) - (value.get(f) ?? 0n))]));
    const total = [...delta.values()].reduce((a, b) => a + b, 0);
    const busy = ((delta.get('user') ?? 0) + (delta.get('kernel') ?? 0)) / total;
    const shares = present.map(([f, label]) => ({ label, share: ((delta.get(f) ?? 0) / total) * 100 }));
    ctl.data({ usage: busy * 100, ...Object.fromEntries(present.map(([f], i) => [f, shares[i]?.share])) });
    let out = `${'usage:'.padEnd(15)} ${percent(busy * 100)}%\n`;
    for (const { label, share } of shares) out += `${label.padEnd(15)} ${percent(share)}%\n`;
    ctl.print(out);
    return true;
  },
};

const nodememstats: CommandDef = {
  name: 'nodememstats',
  group: 'host',
  help: 'Prints memory stats of the node.',
  desc: 'Returns memory stats of the node, in kilobytes.',
  opts: [opt.int('cell', 'prints specified cell statistics only.')],
  async run(ctl, cmd) {
    const cell = intOpt(ctl, cmd, 'cell', -1);
    const stats = await orFail(ctl, () => conn(ctl).getMemoryStats(cell, 0), 'Unable to get number of memory stats');
    if (stats === undefined) return false;
    ctl.data(Object.fromEntries(stats.map((s) => [s.field, Number(s.value)])));
    ctl.print(stats.map((s) => `${s.field.padEnd(7)}: ${String(s.value).padStart(20)} KiB\n`).join(''));
    return true;
  },
};

const cpuModels: CommandDef = {
  name: 'cpu-models',
  group: 'host',
  help: 'CPU models',
  desc: 'Get the CPU models for an arch.',
  opts: [opt.data('arch', 'architecture')],
  async run(ctl, cmd) {
    const arch = requiredString(ctl, cmd, 'arch');
    const models = await orFail(ctl, () => conn(ctl).getCpuModelNames(arch, 0), 'failed to get CPU model names');
    if (models === undefined) return false;
    ctl.data({ models });
    if (models.length === 0) ctl.printExtra('all CPU models are accepted\n');
    else ctl.print(models.map((m) => `${m}\n`).join(''));
    return true;
  },
};

export const hostStatsCommands: readonly CommandDef[] = [cpuModels, freecell, nodecpustats, nodememstats];
