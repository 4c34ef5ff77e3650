/** domblkinfo, domtime and domfsinfo: disk sizes, the guest clock and guest file systems. */
import { type DomainBlockInfo, parseXml, type XmlElement } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain } from '../lookup.js';
import { field, fixed, prettyCapacity } from '../output/format.js';
import { Table } from '../output/table.js';
import { orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

const children = (el: XmlElement, name: string): XmlElement[] =>
  el.nodes.filter((n): n is XmlElement => typeof n !== 'string' && n.name === name);

/** cmdDomblkinfoGet: the three sizes as virsh prints them; "-" each when all are zero. */
function sizeCells(info: DomainBlockInfo, human: boolean): [string, string, string] {
  const sizes = [info.capacity, info.allocation, info.physical] as const;
  if (sizes.every((s) => s === 0n)) return ['-', '-', '-'];
  const cell = (bytes: bigint) => {
    if (!human) return String(bytes);
    const { value, unit } = prettyCapacity(bytes);
    return `${fixed(value, 3)} ${unit}`;
  };
  return [cell(sizes[0]), cell(sizes[1]), cell(sizes[2])];
}

const ZERO: DomainBlockInfo = { capacity: 0n, allocation: 0n, physical: 0n };

function exclusive(ctl: Control, a: string, b: string, both: boolean): boolean {
  if (both) ctl.error(`Options --${a} and --${b} are mutually exclusive`);
  return both;
}

const domblkinfo: CommandDef = {
  name: 'domblkinfo',
  group: 'monitor',
  help: 'domain block device size information',
  desc: 'Get block device size info for a domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('device', 'block device'),
    opt.bool('human', 'Human readable output'),
    opt.bool('all', 'display all block devices info'),
  ],
  async run(ctl, cmd) {
    if (exclusive(ctl, 'all', 'device', cmd.bool('all') && cmd.has('device'))) return false;
    const { dom } = await optDomain(ctl, cmd);
    const human = cmd.bool('human');
    if (!cmd.bool('all')) {
      const device = cmd.string('device');
      if (!device) {
        ctl.error("command 'domblkinfo' requires <device> option");
        return false;
      }
      const info = await orFail(ctl, () => dom.getBlockInfo(device, 0));
      if (!info) return false;
      const [cap, alloc, phy] = sizeCells(info, human);
      ctl.data({ capacity: info.capacity, allocation: info.allocation, physical: info.physical });
      ctl.print(field('Capacity:', cap) + field('Allocation:', alloc) + field('Physical:', phy));
      return true;
    }
    const root = parseXml(await dom.getXmlDesc(0), { documentName: 'domain_definition' });
    const disks = children(root, 'devices').flatMap((d) => children(d, 'disk'));
    const table = new Table(['Target', 'Capacity', 'Allocation', 'Physical']);
    const doc: Record<string, unknown>[] = [];
    for (const disk of disks) {
      const target = children(disk, 'target')[0]?.attrs.dev ?? '';
      // A disk without a <source> (an empty CD-ROM) is not asked about: its sizes are all zero.
      let info = ZERO;
      if (children(disk, 'source').length > 0) {
        const got = await orFail(ctl, () => dom.getBlockInfo(target, 0));
        if (!got) return false;
        info = got;
      }
      table.add(target, ...sizeCells(info, human));
      doc.push({ target, capacity: info.capacity, allocation: info.allocation, physical: info.physical });
    }
    ctl.data(doc);
    ctl.print(table.render(!ctl.quiet));
    return true;
  },
};

/** g_date_time_format(…, "%Y-%m-%d %H:%M:%S") of a UTC time. */
function utcText(seconds: bigint): string {
  const d = new Date(Number(seconds) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** VIR_DOMAIN_TIME_SYNC. */
const TIME_SYNC = 1;

const domtime: CommandDef = {
  name: 'domtime',
  group: 'monitor',
  help: 'domain time',
  desc: "Gets or sets the domain's system time",
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('now', 'set to the time of the host running virsh'),
    opt.bool('pretty', "print domain's time in human readable form"),
    opt.bool('sync', "instead of setting given time, synchronize from domain's RTC"),
    opt.int('time', 'time to set'),
  ],
  async run(ctl, cmd) {
    const now = cmd.bool('now');
    const sync = cmd.bool('sync');
    if (exclusive(ctl, 'time', 'now', cmd.has('time') && now)) return false;
    if (exclusive(ctl, 'time', 'sync', cmd.has('time') && sync)) return false;
    if (exclusive(ctl, 'now', 'sync', now && sync)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const timeText = cmd.string('time');
    let seconds = 0n;
    if (timeText !== undefined) {
      // vshCommandOptLongLong: a whole signed 64-bit number, nothing after it.
      const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(timeText);
      const value = m ? BigInt(m[1]!) : undefined;
      if (value === undefined || value > 2n ** 63n - 1n || value < -(2n ** 63n)) {
        ctl.error(`Numeric value '${timeText}' for <time> option is malformed or out of range`);
        return false;
      }
      seconds = value;
    }
    if (timeText !== undefined || now || sync) {
      if (now) seconds = BigInt(Math.floor(Date.now() / 1000));
      const done = await orFail(ctl, () => dom.setTime({ seconds, nseconds: 0 }, sync ? TIME_SYNC : 0));
      return done !== undefined;
    }
    const time = await orFail(ctl, () => dom.getTime(0));
    if (!time) return false;
    ctl.data({ seconds: time.seconds, nseconds: time.nseconds });
    ctl.print(`Time: ${cmd.bool('pretty') ? utcText(time.seconds) : time.seconds}`);
    return true;
  },
};

const domfsinfo: CommandDef = {
  name: 'domfsinfo',
  group: 'domain',
  help: "Get information of domain's mounted filesystems.",
  desc: "Get information of domain's mounted filesystems.",
  opts: [opt.data('domain', 'domain name, id or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const infos = await orFail(ctl, () => dom.getFSInfo(0), 'Unable to get filesystem information');
    if (!infos) return false;
    ctl.data(infos);
    if (infos.length === 0) {
      ctl.printExtra('No filesystems are mounted in the domain');
      return true;
    }
    const table = new Table(['Mountpoint', 'Name', 'Type', 'Target']);
    for (const fs of infos) table.add(fs.mountpoint, fs.name, fs.fstype, fs.devAlias.join(','));
    ctl.print(table.render(!ctl.quiet));
    return true;
  },
};

export const domainGuestInfoCommands: readonly CommandDef[] = [domblkinfo, domfsinfo, domtime];
