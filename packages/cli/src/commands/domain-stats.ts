/** domblkstat and domifstat: a running guest's disk and NIC counters, printed as virsh does. */
import { type BlockStatsParam, ErrorCode, isVirError } from '@tsvirt/core';
import { optDomain } from '../lookup.js';
import { type CommandDef, opt } from './types.js';

/**
 * virsh's order of block statistics, with the legacy name it prints for the first five and the
 * --human label of each; fields outside this table follow under their own names.
 */
const BLOCK_FIELDS: readonly { field: string; legacy?: string; human: string }[] = [
  { field: 'rd_operations', legacy: 'rd_req', human: 'number of read operations:' },
  { field: 'rd_bytes', legacy: 'rd_bytes', human: 'number of bytes read:' },
  { field: 'wr_operations', legacy: 'wr_req', human: 'number of write operations:' },
  { field: 'wr_bytes', legacy: 'wr_bytes', human: 'number of bytes written:' },
  { field: 'errs', legacy: 'errs', human: 'error count:' },
  { field: 'flush_operations', human: 'number of flush operations:' },
  { field: 'rd_total_times', human: 'total duration of reads (ns):' },
  { field: 'wr_total_times', human: 'total duration of writes (ns):' },
  { field: 'flush_total_times', human: 'total duration of flushes (ns):' },
];
/** --human pads the labels to this width. */
const HUMAN_WIDTH = 31;

const domblkstat: CommandDef = {
  name: 'domblkstat',
  group: 'monitor',
  help: 'get device block stats for a domain',
  desc: 'Get device block stats for a running domain. See man page or use --human for explanation of fields',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('device', 'block device', { emptyOk: true }),
    opt.bool('human', 'print a more human readable output'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const device = cmd.string('device') ?? '';
    const human = cmd.bool('human');
    let params: BlockStatsParam[];
    try {
      params = await dom.blockStatsFlags(device, 0);
    } catch (e) {
      // Only a driver without the typed-parameter call gets the older one (and its wording).
      if (!(isVirError(e) && e.code === ErrorCode.NO_SUPPORT)) throw e;
      try {
        const s = await dom.blockStats(device);
        params = [
          { field: 'rd_operations', value: s.rdReq },
          { field: 'rd_bytes', value: s.rdBytes },
          { field: 'wr_operations', value: s.wrReq },
          { field: 'wr_bytes', value: s.wrBytes },
          { field: 'errs', value: s.errs },
        ].filter((p) => p.value >= 0n);
      } catch (e2) {
        ctl.saveError(e2);
        ctl.error(`Failed to get block stats ${dom.getName()} ${device}`);
        return false;
      }
    }
    const prefix = human ? '' : device;
    let out = human ? `Device: ${device}\n` : '';
    const known = new Set<string>();
    for (const f of BLOCK_FIELDS) {
      const p = params.find((x) => x.field === f.field);
      if (!p) continue;
      known.add(f.field);
      const name = human ? f.human.padEnd(HUMAN_WIDTH) : (f.legacy ?? f.field);
      out += `${prefix} ${name} ${p.value}\n`;
    }
    for (const p of params) if (!known.has(p.field)) out += `${prefix} ${p.field} ${p.value}\n`;
    ctl.data({ device, ...Object.fromEntries(params.map((p) => [p.field, p.value])) });
    ctl.print(out);
    return true;
  },
};

const IFACE_FIELDS = [
  ['rx_bytes', 'rxBytes'],
  ['rx_packets', 'rxPackets'],
  ['rx_errs', 'rxErrs'],
  ['rx_drop', 'rxDrop'],
  ['tx_bytes', 'txBytes'],
  ['tx_packets', 'txPackets'],
  ['tx_errs', 'txErrs'],
  ['tx_drop', 'txDrop'],
] as const;

const domifstat: CommandDef = {
  name: 'domifstat',
  group: 'monitor',
  help: 'get network interface stats for a domain',
  desc: 'Get network interface stats for a running domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.data('interface', 'interface device specified by name or MAC Address'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const device = cmd.string('interface') ?? '';
    let stats: Awaited<ReturnType<typeof dom.interfaceStats>>;
    try {
      stats = await dom.interfaceStats(device);
    } catch (e) {
      ctl.saveError(e);
      ctl.error(`Failed to get interface stats ${dom.getName()} ${device}`);
      return false;
    }
    let out = '';
    const doc: Record<string, unknown> = { interface: device };
    for (const [name, key] of IFACE_FIELDS) {
      if (stats[key] < 0n) continue;
      out += `${device} ${name} ${stats[key]}\n`;
      doc[name] = stats[key];
    }
    ctl.data(doc);
    ctl.print(out);
    return true;
  },
};

export const domainStatsCommands: readonly CommandDef[] = [domblkstat, domifstat];
