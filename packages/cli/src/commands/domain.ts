import { DomainXmlFlags } from '@tsvirt/core';
import type { Control } from '../control.js';
import { By, conn, optDomain } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act } from './common.js';
import { consoleCommand } from './console.js';
import { domcontrol } from './domain-control.js';
import { attachDevice, detachDevice } from './domain-device.js';
import { domhostname } from './domain-hostname.js';
import { iothreadadd, iothreaddel, iothreadinfo, iothreadpin } from './domain-iothread.js';
import { dommemstat } from './domain-memstat.js';
import { desc, metadata } from './domain-metadata.js';
import { domrename } from './domain-rename.js';
import { domainSaveCommands as saving } from './domain-save.js';
import { schedinfo } from './domain-sched.js';
import { emulatorpin, vcpucount, vcpuinfo, vcpupin } from './domain-vcpu.js';
import { domxmlToNative } from './domxml-native.js';
import {
  autostartCommand,
  DOMAIN_KIND,
  DOMAIN_OPT,
  dumpXmlCommand,
  fileOpt,
  fromFileCommand,
  simpleCommand,
} from './managed-object.js';
import { qemuMonitorCommand } from './qemu-monitor.js';
import { type CommandDef, opt } from './types.js';
import { undefineLikeVirsh } from './undefine.js';

/** virDomainCreateFlags. */
const StartFlags = {
  PAUSED: 1,
  AUTODESTROY: 2,
  BYPASS_CACHE: 4,
  FORCE_BOOT: 8,
  VALIDATE: 16,
  RESET_NVRAM: 32,
} as const;
/** virDomainDefineFlags. */
const DEFINE_VALIDATE = 1;
/** virDomainUndefineFlagsValues. */
const Undefine = {
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
  CHECKPOINTS_METADATA: 16,
  TPM: 32,
  KEEP_TPM: 64,
} as const;

const define = fromFileCommand(DOMAIN_KIND, {
  name: 'define',
  help: "define (but don't start) a domain from an XML file",
  desc: 'Define a domain.',
  verb: 'define',
  opts: [fileOpt(DOMAIN_KIND), opt.bool('validate', 'validate the XML against the schema')],
  make: (ctl, cmd, xml) => conn(ctl).defineDomainXml(xml, cmd.bool('validate') ? DEFINE_VALIDATE : 0),
});

const create = fromFileCommand(DOMAIN_KIND, {
  name: 'create',
  help: 'create a domain from an XML file',
  desc: 'Create a domain.',
  verb: 'create',
  opts: [
    fileOpt(DOMAIN_KIND),
    opt.bool('console', 'attach to console after creation'),
    opt.bool('paused', 'leave the guest paused after creation'),
    opt.bool('autodestroy', 'automatically destroy the guest when virsh disconnects'),
    opt.string('pass-fds', 'pass file descriptors N,M,... to the guest'),
    opt.bool('validate', 'validate the XML against the schema'),
    opt.bool('reset-nvram', 're-initialize NVRAM from its pristine template'),
  ],
  make: (ctl, cmd, xml) => {
    let flags = 0;
    if (cmd.bool('paused')) flags |= StartFlags.PAUSED;
    if (cmd.bool('autodestroy')) flags |= StartFlags.AUTODESTROY;
    if (cmd.bool('validate')) flags |= StartFlags.VALIDATE;
    if (cmd.bool('reset-nvram')) flags |= StartFlags.RESET_NVRAM;
    return conn(ctl).createDomainXml(xml, flags);
  },
  summary: (dom) => ({ name: dom.getName(), uuid: dom.getUUIDString(), id: dom.getID() }),
});

const start: CommandDef = {
  name: 'start',
  group: 'domain',
  help: 'start a (previously defined) inactive domain',
  desc: 'Start a domain, either from the last managedsave\n    state, or via a fresh boot if no managedsave state\n    is present.',
  opts: [
    opt.data('domain', 'name of the inactive domain'),
    opt.bool('console', 'attach to console after creation'),
    opt.bool('paused', 'leave the guest paused after creation'),
    opt.bool('autodestroy', 'automatically destroy the guest when virsh disconnects'),
    opt.bool('bypass-cache', 'avoid file system cache when loading'),
    opt.bool('force-boot', 'force fresh boot by discarding any managed save'),
    opt.string('pass-fds', 'pass file descriptors N,M,... to the guest'),
    opt.bool('reset-nvram', 're-initialize NVRAM from its pristine template'),
  ],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd, By.NAME | By.UUID);
    if (dom.getID() >= 0) {
      ctl.error('Domain is already active');
      return false;
    }
    let flags = 0;
    if (cmd.bool('paused')) flags |= StartFlags.PAUSED;
    if (cmd.bool('autodestroy')) flags |= StartFlags.AUTODESTROY;
    if (cmd.bool('bypass-cache')) flags |= StartFlags.BYPASS_CACHE;
    if (cmd.bool('force-boot')) flags |= StartFlags.FORCE_BOOT;
    if (cmd.bool('reset-nvram')) flags |= StartFlags.RESET_NVRAM;
    const name = dom.getName();
    return act(ctl, () => dom.create(flags), `Domain '${name}' started\n`, `Failed to start domain '${name}'`);
  },
};

/** shutdown/reboot --mode: a comma list of methods; undefined (error printed) for an unknown one. */
const MODES: Record<string, number> = { acpi: 1, agent: 2, initctl: 4, signal: 8, paravirt: 16 };
function modeFlags(ctl: Control, cmd: ParsedCommand): number | undefined {
  const mode = cmd.string('mode');
  if (mode === undefined) return 0;
  let flags = 0;
  for (const m of mode.split(',')) {
    const bit = MODES[m];
    if (bit === undefined) {
      ctl.error(`Unknown mode ${mode} value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'`);
      return undefined;
    }
    flags |= bit;
  }
  return flags;
}

const modeOpt = opt.string('mode', 'shutdown mode: acpi|agent|initctl|signal|paravirt');

const destroy = simpleCommand(
  DOMAIN_KIND,
  {
    name: 'destroy',
    help: 'destroy (stop) a domain',
    desc: 'Forcefully stop a given domain, but leave its resources intact.',
    done: 'destroyed',
    verb: 'destroy',
    opts: [opt.bool('graceful', 'terminate gracefully'), opt.bool('remove-logs', 'remove domain logs')],
    flags: (_ctl, cmd) => (cmd.bool('graceful') ? 1 : 0),
  },
  (dom, flags) => dom.destroy(flags),
);
const suspend = simpleCommand(
  DOMAIN_KIND,
  { name: 'suspend', help: 'suspend a domain', desc: 'Suspend a running domain.', done: 'suspended', verb: 'suspend' },
  (dom) => dom.suspend(),
);
const resume = simpleCommand(
  DOMAIN_KIND,
  {
    name: 'resume',
    help: 'resume a domain',
    desc: 'Resume a previously suspended domain.',
    done: 'resumed',
    verb: 'resume',
  },
  (dom) => dom.resume(),
);
const shutdown = simpleCommand(
  DOMAIN_KIND,
  {
    name: 'shutdown',
    help: 'gracefully shutdown a domain',
    desc: 'Run shutdown in the target domain.',
    done: 'is being shutdown',
    verb: 'shutdown',
    opts: [modeOpt],
    flags: modeFlags,
  },
  (dom, flags) => dom.shutdown(flags),
);
const reboot = simpleCommand(
  DOMAIN_KIND,
  {
    name: 'reboot',
    help: 'reboot a domain',
    desc: 'Run a reboot command in the target domain.',
    done: 'is being rebooted',
    verb: 'reboot',
    opts: [modeOpt],
    flags: modeFlags,
  },
  (dom, flags) => dom.reboot(flags),
);

const undefine: CommandDef = {
  name: 'undefine',
  group: 'domain',
  help: 'undefine a domain',
  desc: 'Undefine an inactive domain, or convert persistent to transient.',
  opts: [
    DOMAIN_OPT,
    opt.bool('managed-save', 'remove domain managed state file'),
    opt.string(
      'storage',
      'remove associated storage volumes (comma separated list of targets or source paths) (see domblklist)',
    ),
    opt.bool('remove-all-storage', 'remove all associated storage volumes (use with caution)'),
    opt.bool(
      'delete-storage-volume-snapshots',
      'delete snapshots associated with volume(s), requires --remove-all-storage (must be supported by storage driver)',
    ),
    opt.bool('wipe-storage', 'wipe data on the removed volumes'),
    opt.bool('snapshots-metadata', 'remove all domain snapshot metadata (vm must be inactive)'),
    opt.bool('checkpoints-metadata', 'remove all domain checkpoint metadata (vm must be inactive)'),
    opt.bool('nvram', 'remove nvram file'),
    opt.bool('keep-nvram', 'keep nvram file'),
    opt.bool('tpm', 'remove TPM state'),
    opt.bool('keep-tpm', 'keep TPM state'),
  ],
  async run(ctl, cmd) {
    for (const [a, b] of [
      ['nvram', 'keep-nvram'],
      ['tpm', 'keep-tpm'],
    ] as const) {
      if (cmd.bool(a) && cmd.bool(b)) {
        ctl.error(`Options --${a} and --${b} are mutually exclusive`);
        return false;
      }
    }
    let flags = 0;
    if (cmd.bool('managed-save')) flags |= Undefine.MANAGED_SAVE;
    if (cmd.bool('snapshots-metadata')) flags |= Undefine.SNAPSHOTS_METADATA;
    if (cmd.bool('checkpoints-metadata')) flags |= Undefine.CHECKPOINTS_METADATA;
    if (cmd.bool('nvram')) flags |= Undefine.NVRAM;
    if (cmd.bool('keep-nvram')) flags |= Undefine.KEEP_NVRAM;
    if (cmd.bool('tpm')) flags |= Undefine.TPM;
    if (cmd.bool('keep-tpm')) flags |= Undefine.KEEP_TPM;
    const { dom, text } = await optDomain(ctl, cmd);
    const storage = cmd.has('storage') || cmd.bool('remove-all-storage');
    if (storage) {
      if (await dom.isActive().catch(() => false)) {
        ctl.error('Storage volume deletion is supported only on stopped domains');
        return false;
      }
      ctl.error('removing storage volumes is not supported by tsvirsh yet');
      return false;
    }
    return undefineLikeVirsh(ctl, dom, flags, text);
  },
};

const autostart = autostartCommand(DOMAIN_KIND, 'Failed');

const domid: CommandDef = {
  name: 'domid',
  group: 'domain',
  help: 'convert a domain name or UUID to domain id',
  desc: '',
  opts: [opt.data('domain', 'domain name or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd, By.NAME | By.UUID);
    const id = dom.getID();
    ctl.data({ id: id >= 0 ? id : null });
    ctl.print(id >= 0 ? `${id}\n` : '-\n');
    return true;
  },
};

const domname: CommandDef = {
  name: 'domname',
  group: 'domain',
  help: 'convert a domain id or UUID to domain name',
  desc: '',
  opts: [opt.data('domain', 'domain id or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd, By.ID | By.UUID);
    ctl.data({ name: dom.getName() });
    ctl.print(`${dom.getName()}\n`);
    return true;
  },
};

const domuuid: CommandDef = {
  name: 'domuuid',
  group: 'domain',
  help: 'convert a domain name or id to domain UUID',
  desc: '',
  opts: [opt.data('domain', 'domain id or name')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd, By.ID | By.NAME);
    ctl.data({ uuid: dom.getUUIDString() });
    ctl.print(`${dom.getUUIDString()}\n`);
    return true;
  },
};

const dumpxml = dumpXmlCommand(
  DOMAIN_KIND,
  [
    opt.bool('inactive', 'show inactive defined XML'),
    opt.bool('security-info', 'include security sensitive information in XML dump'),
    opt.bool('update-cpu', 'update guest CPU according to host CPU'),
    opt.bool('migratable', 'provide XML suitable for migrations'),
  ],
  (dom, cmd) => {
    let flags = 0;
    if (cmd.bool('inactive')) flags |= DomainXmlFlags.INACTIVE;
    if (cmd.bool('security-info')) flags |= DomainXmlFlags.SECURE;
    if (cmd.bool('update-cpu')) flags |= DomainXmlFlags.UPDATE_CPU;
    if (cmd.bool('migratable')) flags |= DomainXmlFlags.MIGRATABLE;
    return dom.getXmlDesc(flags);
  },
);

export const domainCommands: readonly CommandDef[] = [
  attachDevice,
  autostart,
  consoleCommand,
  create,
  define,
  desc,
  destroy,
  detachDevice,
  domcontrol,
  domhostname,
  domid,
  dommemstat,
  domname,
  domrename,
  domuuid,
  domxmlToNative,
  dumpxml,
  emulatorpin,
  iothreadadd,
  iothreaddel,
  iothreadinfo,
  iothreadpin,
  saving.managedsave,
  saving.managedsaveRemove,
  metadata,
  qemuMonitorCommand,
  reboot,
  saving.restore,
  resume,
  saving.save,
  schedinfo,
  shutdown,
  start,
  suspend,
  undefine,
  vcpucount,
  vcpuinfo,
  vcpupin,
];
