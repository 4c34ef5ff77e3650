import { type Domain, DomainStatsTypes, GetAllDomainStatsFlags, ListDomainsFlags, type StatsParam } from '@tsvirt/core';
import { conn, lookupDomainBy } from '../lookup.js';
import { orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

/** virsh domstats' group options and the virDomainStatsTypes bit each asks for. */
const GROUP_OPTS: readonly [string, number, string][] = [
  ['state', DomainStatsTypes.STATE, 'report domain state'],
  ['cpu-total', DomainStatsTypes.CPU_TOTAL, 'report domain physical cpu usage'],
  ['balloon', DomainStatsTypes.BALLOON, 'report domain balloon statistics'],
  ['vcpu', DomainStatsTypes.VCPU, 'report domain virtual cpu information'],
  ['interface', DomainStatsTypes.INTERFACE, 'report domain network interface information'],
  ['block', DomainStatsTypes.BLOCK, 'report domain block device statistics'],
  ['perf', DomainStatsTypes.PERF, 'report domain perf event statistics'],
  ['iothread', DomainStatsTypes.IOTHREAD, 'report domain IOThread information'],
  ['memory', DomainStatsTypes.MEMORY, 'report domain memory usage'],
  ['dirtyrate', DomainStatsTypes.DIRTYRATE, 'report domain dirty rate information'],
  ['vm', DomainStatsTypes.VM, 'report hypervisor-specific statistics'],
];

/** The list filters and other flags, as virsh words them. */
const FLAG_OPTS: readonly [string, number, string][] = [
  ['list-active', ListDomainsFlags.ACTIVE, 'list only active domains'],
  ['list-inactive', ListDomainsFlags.INACTIVE, 'list only inactive domains'],
  ['list-persistent', ListDomainsFlags.PERSISTENT, 'list only persistent domains'],
  ['list-transient', ListDomainsFlags.TRANSIENT, 'list only transient domains'],
  ['list-running', ListDomainsFlags.RUNNING, 'list only running domains'],
  ['list-paused', ListDomainsFlags.PAUSED, 'list only paused domains'],
  ['list-shutoff', ListDomainsFlags.SHUTOFF, 'list only shutoff domains'],
  ['list-other', ListDomainsFlags.OTHER, 'list only domains in other states'],
];

/** vshGetTypedParamValue (pretty) or virTypedParameterToString (--raw). */
function valueText(p: StatsParam, raw: boolean): string {
  switch (p.type) {
    case 'double':
      return raw ? String(p.value) : p.value.toFixed(6);
    case 'boolean':
      return raw ? (p.value ? '1' : '0') : p.value ? 'yes' : 'no';
    default:
      return String(p.value);
  }
}

export const domstats: CommandDef = {
  name: 'domstats',
  group: 'monitor',
  help: 'get statistics about one or multiple domains',
  desc: 'Gets statistics about one or more (or all) domains',
  opts: [
    ...GROUP_OPTS.map(([name, , help]) => opt.bool(name, help)),
    ...FLAG_OPTS.map(([name, , help]) => opt.bool(name, help)),
    opt.bool('raw', 'do not pretty-print the fields'),
    opt.bool('enforce', 'enforce requested stats parameters'),
    opt.bool('backing', 'add backing chain information to block stats'),
    opt.bool('nowait', 'report only stats that are accessible instantly'),
    opt.argv('domain', 'list of domains to get stats for'),
  ],
  async run(ctl, cmd) {
    const stats = GROUP_OPTS.reduce((acc, [name, bit]) => (cmd.bool(name) ? acc | bit : acc), 0);
    let flags = FLAG_OPTS.reduce((acc, [name, bit]) => (cmd.bool(name) ? acc | bit : acc), 0);
    if (cmd.bool('enforce')) flags |= GetAllDomainStatsFlags.ENFORCE_STATS;
    if (cmd.bool('backing')) flags |= GetAllDomainStatsFlags.BACKING;
    if (cmd.bool('nowait')) flags |= GetAllDomainStatsFlags.NOWAIT;
    // Bit 31 (enforce) makes JavaScript's bitwise result negative: the API takes it unsigned.
    flags >>>= 0;
    const c = conn(ctl);
    const names = cmd.argv('domain');
    const doms: Domain[] = [];
    for (const name of names) {
      const dom = await lookupDomainBy(ctl, name);
      if (!dom) return false;
      doms.push(dom);
    }
    const records = await orFail(ctl, () =>
      doms.length > 0 ? c.domainListGetStats(doms, stats, flags) : c.getAllDomainStats(stats, flags),
    );
    if (records === undefined) return false;
    const raw = cmd.bool('raw');
    ctl.data(
      records.map((r) => ({
        domain: r.domain.getName(),
        stats: Object.fromEntries(
          r.params.map((p) => [p.field, typeof p.value === 'bigint' ? Number(p.value) : p.value]),
        ),
      })),
    );
    // virsh separates the records with a blank line (the one after the last is the command's own).
    const blocks = records.map(
      (r) => `Domain: '${r.domain.getName()}'\n${r.params.map((p) => `  ${p.field}=${valueText(p, raw)}\n`).join('')}`,
    );
    ctl.print(blocks.join('\n'));
    return true;
  },
};

export const bulkStatsCommands: readonly CommandDef[] = [domstats];
