import { optDomain } from '../lookup.js';
import { orFail } from './common.js';
import { type CommandDef, opt } from './types.js';

/** virsh's names for virDomainControlState and virDomainControlErrorReason. */
const STATES = ['ok', 'background job', 'occupied', 'error'];
const ERROR_REASONS = ['', 'unknown', 'monitor failure', 'internal (locking) error'];

export const domcontrol: CommandDef = {
  name: 'domcontrol',
  group: 'monitor',
  help: 'domain control interface state',
  desc: 'Returns state of a control interface to the domain.',
  opts: [opt.data('domain', 'domain name, id or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    // virsh prints the library error alone.
    const info = await orFail(ctl, () => dom.getControlInfo(0));
    if (info === undefined) return false;
    const state = STATES[info.state] ?? 'unknown';
    ctl.data({ state, details: info.details, stateTime: info.stateTime });
    if (info.state !== 0 && info.state !== 3) ctl.print(`${state} (${(info.stateTime / 1000).toFixed(3)}s)\n`);
    else if (info.state === 3 && info.details > 0) ctl.print(`${state}: ${ERROR_REASONS[info.details] ?? 'unknown'}\n`);
    else ctl.print(`${state}\n`);
    return true;
  },
};
