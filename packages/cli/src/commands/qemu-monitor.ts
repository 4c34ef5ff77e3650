/** `qemu-monitor-command DOMAIN [--hmp] [--pretty] [--return-value] CMD...`: raw QEMU monitor access. */
import { optDomain } from '../lookup.js';
import { type CommandDef, opt } from './types.js';

export const qemuMonitorCommand: CommandDef = {
  name: 'qemu-monitor-command',
  group: 'domain',
  help: 'QEMU Monitor Command',
  desc: 'QEMU Monitor Command',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('hmp', 'command is in human monitor protocol'),
    opt.bool('pretty', 'pretty-print any qemu monitor protocol output'),
    opt.bool('return-value', "extract the value of the 'return' key from the returned string"),
    opt.string('pass-fds', 'pass file descriptors N,M,... along with the command', { named: true }),
    opt.argv('cmd', 'command', { required: true }),
  ],
  async run(ctl, cmd) {
    const hmp = cmd.bool('hmp');
    if (hmp && cmd.bool('pretty')) {
      ctl.error('Options --hmp and --pretty are mutually exclusive');
      return false;
    }
    if (hmp && cmd.bool('return-value')) {
      ctl.error('Options --hmp and --return-value are mutually exclusive');
      return false;
    }
    if (cmd.string('pass-fds') !== undefined) {
      ctl.error('passing file descriptors is not supported by tsvirsh');
      return false;
    }
    const { dom } = await optDomain(ctl, cmd);
    const text = cmd.argv('cmd').join(' ');
    let reply: string;
    try {
      reply = await dom.qemuMonitorCommand(text, hmp ? 1 : 0);
    } catch (e) {
      ctl.saveError(e);
      return false;
    }
    if (hmp) {
      ctl.print(reply.endsWith('\n') ? reply : `${reply}\n`);
      return true;
    }
    let value: unknown = JSON.parse(reply);
    if (cmd.bool('return-value')) {
      const ret = (value as { return?: unknown }).return;
      if (ret === undefined) {
        ctl.error("'return' key not found in reply");
        return false;
      }
      value = ret;
    }
    ctl.print(`${cmd.bool('pretty') ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`);
    return true;
  },
};
