/** nodecpumap: the host's CPUs, how many are online and which. */

import { conn } from '../lookup.js';
import { field } from '../output/format.js';
import { orFail } from './common.js';
import { cpumapText } from './cpu-list.js';
import { type CommandDef, opt } from './types.js';

export const nodecpumap: CommandDef = {
  name: 'nodecpumap',
  group: 'host',
  help: 'node cpu map',
  desc: "Displays the node's total number of CPUs, the number of online CPUs and the list of online CPUs.",
  opts: [opt.bool('pretty', 'return human readable output')],
  async run(ctl, cmd) {
    const m = await orFail(ctl, () => conn(ctl).getCPUMap(), 'Unable to get cpu map');
    if (m === undefined) return false;
    ctl.data({ present: m.cpus, online: m.online, map: cpumapText(m.map, m.cpus) });
    ctl.print(
      field('CPUs present:', m.cpus) +
        field('CPUs online:', m.online) +
        field('CPU map:', cpumapText(m.map, m.cpus, !cmd.bool('pretty'))),
    );
    return true;
  },
};
