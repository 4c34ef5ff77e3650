/** domrename (virDomainRename), as virsh 9.0 has it. */
import { optDomain, optString } from '../lookup.js';
import { type CommandDef, opt } from './types.js';

export const domrename: CommandDef = {
  name: 'domrename',
  group: 'domain',
  help: 'rename a domain',
  desc: 'Rename an inactive domain.',
  opts: [opt.data('domain', 'domain name or uuid'), opt.data('new-name', 'new domain name')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const newName = optString(ctl, cmd, 'new-name') ?? '';
    // A failed rename reports only libvirt's error, with no "Failed to" line of virsh's own.
    await dom.rename(newName, 0);
    ctl.printExtra('Domain successfully renamed\n');
    return true;
  },
};
