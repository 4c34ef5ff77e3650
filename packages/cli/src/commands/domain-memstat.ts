import { optDomain } from '../lookup.js';
import { orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

/** virsh's names for virDomainMemoryStatTags, by tag. */
const TAG_NAMES = [
  'swap_in',
  'swap_out',
  'major_fault',
  'minor_fault',
  'unused',
  'available',
  'actual',
  'rss',
  'usable',
  'last_update',
  'disk_caches',
  'hugetlb_pgalloc',
  'hugetlb_pgfail',
];

export const dommemstat: CommandDef = {
  name: 'dommemstat',
  group: 'monitor',
  help: 'get memory statistics for a domain',
  desc: 'Get memory statistics for a running domain.',
  opts: [opt.data('domain', 'domain name, id or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const stats = await orFail(
      ctl,
      () => dom.memoryStats(TAG_NAMES.length, 0),
      `Failed to get memory statistics for domain ${dom.getName()}`,
    );
    if (stats === undefined) return false;
    ctl.data(Object.fromEntries(stats.map((s) => [TAG_NAMES[s.tag] ?? String(s.tag), Number(s.val)])));
    ctl.print(stats.map((s) => `${TAG_NAMES[s.tag] ?? s.tag} ${s.val}\n`).join(''));
    return true;
  },
};
