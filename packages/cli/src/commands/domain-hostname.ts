import { optDomain } from '../lookup.js';
import { orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

/** virDomainGetHostnameFlags: where the name comes from. */
const HostnameSource: Record<string, number> = { lease: 1, agent: 2 };

export const domhostname: CommandDef = {
  name: 'domhostname',
  group: 'domain',
  help: "print the domain's hostname",
  desc: '',
  opts: [opt.data('domain', 'domain name, id or uuid'), opt.string('source', "address source: 'lease' or 'agent'")],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const source = cmd.string('source');
    let flags = 0;
    if (source !== undefined) {
      const flag = HostnameSource[source];
      if (flag === undefined) {
        ctl.error(`Unknown data source '${source}'`);
        return false;
      }
      flags = flag;
    }
    const name = await orFail(ctl, () => dom.getHostname(flags), 'failed to get hostname');
    if (name === undefined) return false;
    ctl.data({ hostname: name });
    ctl.print(`${name}\n`);
    return true;
  },
};
