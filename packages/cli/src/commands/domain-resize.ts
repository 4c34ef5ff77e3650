/**
 * setmem, setmaxmem and setvcpus: change a domain's memory sizes and vCPU count with virsh's
 * option parsing and error texts.
 */
import { AffectFlags, ErrorCode, ErrorDomain, VcpuFlags, VirError } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain, optString } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { AFFECT_OPTS, affectFlags, CURRENT_EXCLUSIVE, exclusive } from './common.js';
import { unitScale } from './domain-tune.js';
import { type CommandDef, opt } from './types.js';

/** VIR_DOMAIN_MEM_MAXIMUM: setmaxmem with flags goes through virDomainSetMemoryFlags. */
const MEM_MAXIMUM = 1 << 2;
const U64_MAX = 2n ** 64n - 1n;

/** None of --live, --config, --current given. */
const noAffectOption = (cmd: ParsedCommand) => !cmd.bool('live') && !cmd.bool('config') && !cmd.bool('current');

/** vshCommandOptScaledInt for <size>: KiB by default, rounded up to KiB; undefined when refused. */
function sizeKiB(ctl: Control, cmd: ParsedCommand): number | undefined {
  const text = optString(ctl, cmd, 'size') ?? '';
  const fail = () => {
    ctl.error(`Scaled numeric value '${text}' for <size> option is malformed or out of range`);
    return undefined;
  };
  const m = /^[ \t\n\v\f\r]*\+?(\d+)/.exec(text);
  if (!m) return fail();
  const value = BigInt(m[1]!);
  if (value > U64_MAX) return fail();
  const suffix = text.slice(m[0].length);
  const scale = unitScale(suffix);
  if (scale instanceof VirError) {
    ctl.saveError(scale);
    return fail();
  }
  if (value !== 0n && value > U64_MAX / scale) {
    ctl.saveError(
      new VirError({ code: ErrorCode.OVERFLOW, domain: ErrorDomain.NONE, detail: `value too large: ${text}` }),
    );
    return fail();
  }
  return Number((value * scale + 1023n) / 1024n);
}

const setmem: CommandDef = {
  name: 'setmem',
  group: 'domain',
  help: 'change memory allocation',
  desc: 'Change the current memory allocation in the guest domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('size', 'new memory size, as scaled integer (default KiB)', { required: true }),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const kib = sizeKiB(ctl, cmd);
    if (kib === undefined) return false;
    // virsh 9.0 always calls virDomainSetMemoryFlags; with no option it asks for the running
    // guest (LIVE), so a shut-off domain is refused rather than its definition changed.
    await dom.setMemory(kib, noAffectOption(cmd) ? AffectFlags.LIVE : affectFlags(cmd));
    return true;
  },
};

const setmaxmem: CommandDef = {
  name: 'setmaxmem',
  group: 'domain',
  help: 'change maximum memory limit',
  desc: 'Change the maximum memory allocation limit in the guest domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('size', 'new maximum memory size, as scaled integer (default KiB)', { required: true }),
    ...AFFECT_OPTS,
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const kib = sizeKiB(ctl, cmd);
    if (kib === undefined) return false;
    try {
      // virsh 9.0 always goes through virDomainSetMemoryFlags with the MAXIMUM bit.
      await dom.setMemory(kib, affectFlags(cmd) | MEM_MAXIMUM);
    } catch (e) {
      ctl.saveError(e);
      ctl.error('Unable to change MaxMemorySize');
      return false;
    }
    return true;
  },
};

const setvcpus: CommandDef = {
  name: 'setvcpus',
  group: 'domain',
  help: 'change number of virtual CPUs',
  desc: 'Change the number of virtual CPUs in the guest domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.int('count', 'number of virtual CPUs', { required: true }),
    opt.bool('maximum', 'set maximum limit on next boot'),
    ...AFFECT_OPTS,
    opt.bool('guest', 'modify cpu state in the guest'),
    opt.bool('hotpluggable', 'make added vcpus hot(un)pluggable'),
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, [...CURRENT_EXCLUSIVE, ['guest', 'config']])) return false;
    if (cmd.bool('maximum') && !cmd.bool('config')) {
      ctl.error('Option --config is required by option --maximum');
      return false;
    }
    const { dom } = await optDomain(ctl, cmd);
    const text = optString(ctl, cmd, 'count') ?? '';
    const m = /^[ \t\n\v\f\r]*\+?(\d+)$/.exec(text);
    const count = m ? Number(m[1]) : Number.NaN;
    if (!m || count > 2 ** 31 - 1) {
      ctl.error(`Numeric value '${text}' for <count> option is malformed or out of range`);
      return false;
    }
    if (count === 0) {
      ctl.error("Can't set 0 processors for a VM");
      return false;
    }
    let flags = affectFlags(cmd);
    if (cmd.bool('maximum')) flags |= VcpuFlags.MAXIMUM;
    if (cmd.bool('guest')) flags |= VcpuFlags.GUEST;
    if (cmd.bool('hotpluggable')) flags |= VcpuFlags.HOTPLUGGABLE;
    // With no option at all virsh 9.0 calls the flag-less virDomainSetVcpus (the running guest).
    if (flags === 0 && noAffectOption(cmd)) await dom.setVcpus(count);
    else await dom.setVcpus(count, flags);
    return true;
  },
};

export const domainResizeCommands: readonly CommandDef[] = [setmaxmem, setmem, setvcpus];
