/** vcpuinfo, vcpupin, vcpucount and emulatorpin: vCPU state and pinning, as virsh 9.0 prints them. */
import {
  AffectFlags,
  cpumapLength,
  type Domain,
  DomainState,
  DomainXmlFlags,
  ErrorCode,
  isVirError,
  VcpuFlags,
} from '@tsvirt/core';
import type { Control } from '../control.js';
import { conn, optDomain } from '../lookup.js';
import { field } from '../output/format.js';
import { Table } from '../output/table.js';
import type { ParsedCommand } from '../parse-args.js';
import { AFFECT_OPTS, affectFlags, CURRENT_EXCLUSIVE, exclusive, orFail } from './common.js';
import { cpumapText, hostCpuCount, parseCpuListOpt, uintOpt } from './cpu-list.js';
import { type CommandDef, opt } from './types.js';

/** Run a call that answers nothing: false, with its error pending, when it fails. */
async function succeeds(ctl: Control, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    ctl.saveError(e);
    return false;
  }
}

const VCPU_STATES = ['offline', 'running', 'blocked'];

/** --live/--config as flags; -1 when none of --live/--config/--current was given. */
function affectFlagsOrNone(cmd: ParsedCommand): number {
  const flags = affectFlags(cmd);
  return flags === 0 && !cmd.bool('current') ? -1 : flags;
}

export const vcpuinfo: CommandDef = {
  name: 'vcpuinfo',
  group: 'domain',
  help: 'detailed domain vcpu information',
  desc: 'Returns basic information about the domain virtual CPUs.',
  opts: [opt.data('domain', 'domain name, id or uuid'), opt.bool('pretty', 'return human readable output')],
  async run(ctl, cmd) {
    const pretty = cmd.bool('pretty');
    const { dom } = await optDomain(ctl, cmd);
    const maxcpu = await orFail(ctl, () => hostCpuCount(conn(ctl)));
    if (maxcpu === undefined) return false;
    const info = await orFail(ctl, () => dom.getInfo());
    if (info === undefined) return false;
    const maplen = cpumapLength(maxcpu);
    let vcpus: { number: number; cpu: number; state: number; cpuTime: bigint }[] | undefined;
    let maps: Uint8Array[];
    try {
      const r = await dom.getVcpus(info.nrVirtCpu, maplen);
      vcpus = r.info;
      maps = r.cpumaps;
    } catch (e) {
      // A shut-off guest has no vCPUs running, but its pinning is known.
      if (info.state !== DomainState.SHUTOFF) throw e;
      const pins = await orFail(ctl, () => dom.getVcpuPinInfo(info.nrVirtCpu, maplen, AffectFlags.CONFIG));
      if (pins === undefined) return false;
      maps = pins;
    }
    let out = '';
    const rows: unknown[] = [];
    maps.forEach((map, i) => {
      if (i > 0) out += '\n';
      const v = vcpus?.[i];
      if (v) {
        out += field('VCPU:', v.number) + field('CPU:', v.cpu) + field('State:', VCPU_STATES[v.state] ?? 'no state');
        if (v.cpuTime !== 0n) out += field('CPU time:', `${(Number(v.cpuTime) / 1e9).toFixed(1)}s`);
      } else {
        out += field('VCPU:', i) + field('CPU:', 'N/A') + field('State:', 'N/A') + field('CPU time', 'N/A');
      }
      const affinity = pretty ? `${cpumapText(map, maxcpu)} (out of ${maxcpu})` : cpumapText(map, maxcpu, true);
      out += field('CPU Affinity:', affinity);
      rows.push({ ...(v ? { ...v, cpuTime: Number(v.cpuTime) } : { number: i }), affinity: cpumapText(map, maxcpu) });
    });
    ctl.data(rows);
    ctl.print(out);
    return true;
  },
};

/** virshCPUCountCollect: a vCPU count, -2 when the domain lacks the asked state, undefined on failure. */
async function countVcpus(ctl: Control, dom: Domain, flags: number, checkState: boolean): Promise<number | undefined> {
  if (checkState) {
    if (flags & AffectFlags.LIVE && !(await dom.isActive())) return -2;
    if (flags & AffectFlags.CONFIG && !(await dom.isPersistent())) return -2;
  }
  try {
    return await dom.getVcpusFlags(flags);
  } catch (e) {
    ctl.saveError(e);
    if (!isVirError(e) || (e.code !== ErrorCode.NO_SUPPORT && e.code !== ErrorCode.INVALID_ARG)) return undefined;
  }
  if (flags & VcpuFlags.GUEST) {
    ctl.error('Failed to retrieve vCPU count from the guest');
    return undefined;
  }
  // Older APIs for drivers without virDomainGetVcpusFlags.
  ctl.resetError();
  let live = (flags & AffectFlags.LIVE) !== 0;
  if (!(flags & (AffectFlags.LIVE | AffectFlags.CONFIG)) && (await dom.isActive())) live = true;
  const maximum = (flags & VcpuFlags.MAXIMUM) !== 0;
  if (live) {
    return orFail(ctl, async () => (maximum ? dom.getMaxVcpus() : (await dom.getInfo()).nrVirtCpu));
  }
  const xml = await orFail(ctl, () => dom.getXmlDesc(DomainXmlFlags.INACTIVE));
  if (xml === undefined) return undefined;
  const m = maximum ? /<vcpu\b[^>]*>\s*(\d+)\s*</.exec(xml) : /<vcpu\b[^>]*\bcurrent='(\d+)'/.exec(xml);
  if (!m) {
    ctl.error(`Failed to retrieve ${maximum ? 'maximum' : 'current'} vcpu count`);
    return undefined;
  }
  return Number(m[1]);
}

export const vcpucount: CommandDef = {
  name: 'vcpucount',
  group: 'domain',
  help: 'domain vcpu counts',
  desc: 'Returns the number of virtual CPUs used by the domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('maximum', 'get maximum count of vcpus'),
    opt.bool('active', 'get number of currently active vcpus'),
    opt.bool('live', 'get value from running domain'),
    opt.bool('config', 'get value to be used on next boot'),
    opt.bool('current', 'get value according to current domain state'),
    opt.bool('guest', 'retrieve vcpu count from the guest instead of the hypervisor'),
  ],
  async run(ctl, cmd) {
    const pairs: [string, string][] = [
      ['live', 'config'],
      ['active', 'maximum'],
      ['guest', 'config'],
    ];
    if (!exclusive(ctl, cmd, pairs)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const names = ['maximum', 'active', 'live', 'config', 'current', 'guest'];
    if (names.every((n) => !cmd.bool(n))) {
      const confMax = await countVcpus(ctl, dom, AffectFlags.CONFIG | VcpuFlags.MAXIMUM, true);
      const confCur = await countVcpus(ctl, dom, AffectFlags.CONFIG, true);
      const liveMax = await countVcpus(ctl, dom, AffectFlags.LIVE | VcpuFlags.MAXIMUM, true);
      const liveCur = await countVcpus(ctl, dom, AffectFlags.LIVE, true);
      const all: [number | undefined, string, string][] = [
        [confMax, 'maximum', 'config'],
        [liveMax, 'maximum', 'live'],
        [confCur, 'current', 'config'],
        [liveCur, 'current', 'live'],
      ];
      if (all.some(([n]) => n === undefined)) return false;
      const shown = all.filter(([n]) => (n as number) > 0);
      ctl.data(shown.map(([count, which, state]) => ({ which, state, count })));
      ctl.print(
        shown.map(([n, which, state]) => `${which.padEnd(12)} ${state.padEnd(12)} ${String(n).padStart(3)}\n`).join(''),
      );
      return true;
    }
    let flags = 0;
    if (cmd.bool('live')) flags |= AffectFlags.LIVE;
    if (cmd.bool('config')) flags |= AffectFlags.CONFIG;
    if (cmd.bool('maximum')) flags |= VcpuFlags.MAXIMUM;
    if (cmd.bool('guest')) flags |= VcpuFlags.GUEST;
    const count = await countVcpus(ctl, dom, flags, false);
    if (count === undefined || count < 0) return false;
    ctl.data({ count });
    ctl.print(`${count}\n`);
    return true;
  },
};

/** vcpupin without a CPU list: the pinning table of one or every vCPU. */
async function vcpuPinQuery(
  ctl: Control,
  dom: Domain,
  vcpu: number | undefined,
  maxcpu: number,
  flags: number,
): Promise<boolean> {
  const ncpus = await countVcpus(ctl, dom, flags | VcpuFlags.MAXIMUM, true);
  if (ncpus === undefined) return false;
  if (ncpus < 0) {
    ctl.error(
      flags & AffectFlags.LIVE ? 'cannot get vcpupin for offline domain' : 'cannot get vcpupin for transient domain',
    );
    return false;
  }
  if (vcpu !== undefined && vcpu >= ncpus) {
    const live = flags & AffectFlags.LIVE || (!(flags & AffectFlags.CONFIG) && (await dom.isActive()));
    ctl.error(`vcpu ${vcpu} is out of range of ${live ? 'live' : 'persistent'} cpu count ${ncpus}`);
    return false;
  }
  const maps = await orFail(ctl, () => dom.getVcpuPinInfo(ncpus, cpumapLength(maxcpu), flags));
  if (maps === undefined) return false;
  const table = new Table(['VCPU', 'CPU Affinity']);
  const rows: { vcpu: number; affinity: string }[] = [];
  maps.forEach((map, i) => {
    if (vcpu !== undefined && i !== vcpu) return;
    const affinity = cpumapText(map, maxcpu);
    rows.push({ vcpu: i, affinity });
    table.add(String(i), affinity);
  });
  ctl.data(rows);
  ctl.print(table.render());
  return true;
}

export const vcpupin: CommandDef = {
  name: 'vcpupin',
  group: 'domain',
  help: 'control or query domain vcpu affinity',
  desc: 'Pin domain VCPUs to host physical CPUs.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('vcpu', 'vcpu number'),
    opt.string('cpulist', 'host cpu number(s) to set, or omit option to query', { emptyOk: true }),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, [...CURRENT_EXCLUSIVE, ['live', 'config']])) return false;
    const cpulist = cmd.string('cpulist');
    const { dom } = await optDomain(ctl, cmd);
    const vcpu = uintOpt(ctl, cmd, 'vcpu');
    if (vcpu === false) return false;
    if (vcpu === undefined && cpulist !== undefined) {
      ctl.error('vcpupin: Missing vCPU number in pin mode.');
      return false;
    }
    const maxcpu = await orFail(ctl, () => hostCpuCount(conn(ctl)));
    if (maxcpu === undefined) return false;
    const flags = affectFlagsOrNone(cmd);
    if (cpulist === undefined) return vcpuPinQuery(ctl, dom, vcpu, maxcpu, flags === -1 ? 0 : flags);
    const map = parseCpuListOpt(ctl, cpulist, maxcpu);
    if (!map) return false;
    return succeeds(ctl, () => dom.pinVcpu(vcpu as number, map, flags === -1 ? undefined : flags));
  },
};

export const emulatorpin: CommandDef = {
  name: 'emulatorpin',
  group: 'domain',
  help: 'control or query domain emulator affinity',
  desc: 'Pin domain emulator threads to host physical CPUs.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('cpulist', 'host cpu number(s) to set, or omit option to query', { emptyOk: true }),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const cpulist = cmd.string('cpulist');
    const { dom } = await optDomain(ctl, cmd);
    const flags = affectFlagsOrNone(cmd);
    const maxcpu = await orFail(ctl, () => hostCpuCount(conn(ctl)));
    if (maxcpu === undefined) return false;
    if (cpulist === undefined) {
      const map = await orFail(ctl, () => dom.getEmulatorPinInfo(cpumapLength(maxcpu), flags === -1 ? 0 : flags));
      if (map === undefined) return false;
      ctl.data({ affinity: cpumapText(map, maxcpu) });
      ctl.printExtra('emulator: CPU Affinity\n----------------------------------\n       *: ');
      ctl.print(`${cpumapText(map, maxcpu)}\n`);
      return true;
    }
    const map = parseCpuListOpt(ctl, cpulist, maxcpu);
    if (!map) return false;
    // Without --live/--config/--current virsh pins the running emulator.
    return succeeds(ctl, () => dom.pinEmulator(map, flags === -1 ? AffectFlags.LIVE : flags));
  },
};
