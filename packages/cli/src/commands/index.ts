import { checkpointCommands, checkpointParentCommands } from './checkpoint.js';
import { checkpointListCommands } from './checkpoint-list.js';
import { domainCommands } from './domain.js';
import { domainDevlistCommands } from './domain-devlist.js';
import { domainGuestInfoCommands } from './domain-guest-info.js';
import { domainMonitorCommands } from './domain-monitor.js';
import { domainResizeCommands } from './domain-resize.js';
import { domainStatsCommands } from './domain-stats.js';
import { domainTuneCommands } from './domain-tune.js';
import { bulkStatsCommands } from './domstats.js';
import { type CommandTable, helpCommand } from './help.js';
import { hostCommands } from './host.js';
import { hostStatsCommands } from './host-stats.js';
import { networkCommands } from './network.js';
import { poolCommands } from './pool.js';
import { snapshotCommands, snapshotParentCommands } from './snapshot.js';
import { snapshotListCommands } from './snapshot-list.js';
import type { CommandDef } from './types.js';
import { virshCommands } from './virsh.js';
import { volumeCommands } from './volume.js';
import { volumeTransferCommands } from './volume-transfer.js';

class Table implements CommandTable {
  private readonly byName = new Map<string, CommandDef>();
  private readonly list: CommandDef[] = [];
  add(defs: readonly CommandDef[]): void {
    for (const d of defs) {
      this.byName.set(d.name, d);
      this.list.push(d);
    }
  }
  find(name: string): CommandDef | undefined {
    return this.byName.get(name);
  }
  all(): readonly CommandDef[] {
    return this.list;
  }
}

/** Every command tsvirsh knows, in virsh's listing order within each group. */
export const commandTable: CommandTable = (() => {
  const t = new Table();
  t.add(domainCommands);
  t.add(domainMonitorCommands);
  t.add(domainStatsCommands);
  t.add(domainTuneCommands);
  t.add(domainResizeCommands);
  t.add(domainGuestInfoCommands);
  t.add(bulkStatsCommands);
  t.add(hostCommands);
  t.add(hostStatsCommands);
  t.add(checkpointCommands);
  t.add(checkpointListCommands);
  t.add(checkpointParentCommands);
  t.add(networkCommands);
  t.add(snapshotCommands);
  t.add(snapshotListCommands);
  t.add(snapshotParentCommands);
  t.add(domainDevlistCommands);
  t.add(poolCommands);
  t.add(volumeCommands);
  t.add(volumeTransferCommands);
  const [echo, ...rest] = virshCommands;
  if (echo) t.add([echo]);
  t.add([rest[0] as CommandDef, helpCommand(t), ...rest.slice(1)]);
  return t;
})();
