import { type Domain, DomainXmlFlags } from '@tsvirt/core';
import type { Control } from '../control.js';
import { By, conn, optDomain } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { act, readFileOpt } from './common.js';
import { type CommandDef, opt } from './types.js';

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

const DOMAIN_OPT = opt.data('domain', 'domain name, id or uuid');

const define: CommandDef = {
  name: 'define',
  group: 'domain',
  help: "define (but don't start) a domain from an XML file",
  desc: 'Define a domain.',
  opts: [
    opt.data('file', 'file containing an XML domain description'),
    opt.bool('validate', 'validate the XML against the schema'),
  ],
  async run(ctl, cmd) {
    const f = readFileOpt(ctl, cmd);
    if (!f) return false;
    let dom: Domain;
    try {
      dom = await conn(ctl).defineDomainXml(f.xml, cmd.bool('validate') ? DEFINE_VALIDATE : 0);
    } catch (e) {
      ctl.saveError(e);
      ctl.error(`Failed to define domain from ${f.file}`);
      return false;
    }
    ctl.data({ name: dom.getName(), uuid: dom.getUUIDString() });
    ctl.printExtra(`Domain '${dom.getName()}' defined from ${f.file}\n`);
    return true;
  },
};

const create: CommandDef = {
  name: 'create',
  group: 'domain',
  help: 'create a domain from an XML file',
  desc: 'Create a domain.',
  opts: [
    opt.data('file', 'file containing an XML domain description'),
    opt.bool('console', 'attach to console after creation'),
    opt.bool('paused', 'leave the guest paused after creation'),
    opt.bool('autodestroy', 'automatically destroy the guest when virsh disconnects'),
    opt.string('pass-fds', 'pass file descriptors N,M,... to the guest'),
    opt.bool('validate', 'validate the XML against the schema'),
    opt.bool('reset-nvram', 're-initialize NVRAM from its pristine template'),
  ],
  async run(ctl, cmd) {
    const f = readFileOpt(ctl, cmd);
    if (!f) return false;
    let flags = 0;
    if (cmd.bool('paused')) flags |= StartFlags.PAUSED;
    if (cmd.bool('autodestroy')) flags |= StartFlags.AUTODESTROY;
    if (cmd.bool('validate')) flags |= StartFlags.VALIDATE;
    if (cmd.bool('reset-nvram')) flags |= StartFlags.RESET_NVRAM;
    let dom: Domain;
    try {
      dom = await conn(ctl).createDomainXml(f.xml, flags);
    } catch (e) {
      ctl.saveError(e);
      ctl.error(`Failed to create domain from ${f.file}`);
      return false;
    }
    ctl.data({ name: dom.getName(), uuid: dom.getUUIDString(), id: dom.getID() });
    ctl.printExtra(`Domain '${dom.getName()}' created from ${f.file}\n`);
    return true;
  },
};

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

/** Commands of the form `VERB <domain>` that print "Domain 'X' DONE" or "Failed to VERB domain 'X'". */
function simple(
  name: string,
  help: string,
  desc: string,
  done: string,
  action: (dom: Domain, cmd: ParsedCommand) => Promise<void>,
  extraOpts: CommandDef['opts'] = [],
): CommandDef {
  return {
    name,
    group: 'domain',
    help,
    desc,
    opts: [DOMAIN_OPT, ...extraOpts],
    async run(ctl, cmd) {
      const { dom, text } = await optDomain(ctl, cmd);
      return act(ctl, () => action(dom, cmd), `Domain '${text}' ${done}\n`, `Failed to ${name} domain '${text}'`);
    },
  };
}

/** shutdown/reboot --mode: a comma list of methods. */
const MODES: Record<string, number> = { acpi: 1, agent: 2, initctl: 4, signal: 8, paravirt: 16 };
function modeFlags(ctl: Control, cmd: ParsedCommand): number {
  const mode = cmd.string('mode');
  if (mode === undefined) return 0;
  let flags = 0;
  for (const m of mode.split(',')) {
    const bit = MODES[m];
    if (bit === undefined) {
      ctl.error(`Unknown mode ${mode} value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'`);
      throw new ModeError();
    }
    flags |= bit;
  }
  return flags;
}
class ModeError extends Error {}

const modeOpt = opt.string('mode', 'shutdown mode: acpi|agent|initctl|signal|paravirt');

function withMode(name: 'shutdown' | 'reboot', help: string, desc: string, done: string): CommandDef {
  return {
    name,
    group: 'domain',
    help,
    desc,
    opts: [DOMAIN_OPT, modeOpt],
    async run(ctl, cmd) {
      let flags: number;
      try {
        flags = modeFlags(ctl, cmd);
      } catch {
        return false;
      }
      const { dom, text } = await optDomain(ctl, cmd);
      const action = name === 'shutdown' ? () => dom.shutdown(flags) : () => dom.reboot(flags);
      return act(ctl, action, `Domain '${text}' ${done}\n`, `Failed to ${name} domain '${text}'`);
    },
  };
}

const destroy = simple(
  'destroy',
  'destroy (stop) a domain',
  'Forcefully stop a given domain, but leave its resources intact.',
  'destroyed',
  (dom, cmd) => dom.destroy(cmd.bool('graceful') ? 1 : 0),
  [opt.bool('graceful', 'terminate gracefully'), opt.bool('remove-logs', 'remove domain logs')],
);
const suspend = simple('suspend', 'suspend a domain', 'Suspend a running domain.', 'suspended', (dom) => dom.suspend());
const resume = simple('resume', 'resume a domain', 'Resume a previously suspended domain.', 'resumed', (dom) =>
  dom.resume(),
);
const shutdown = withMode(
  'shutdown',
  'gracefully shutdown a domain',
  'Run shutdown in the target domain.',
  'is being shutdown',
);
const reboot = withMode('reboot', 'reboot a domain', 'Run a reboot command in the target domain.', 'is being rebooted');

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
    return act(
      ctl,
      () => dom.undefine(flags),
      `Domain '${text}' has been undefined\n`,
      `Failed to undefine domain '${text}'`,
    );
  },
};

const autostart: CommandDef = {
  name: 'autostart',
  group: 'domain',
  help: 'autostart a domain',
  desc: 'Configure a domain to be automatically started at boot.',
  opts: [DOMAIN_OPT, opt.bool('disable', 'disable autostarting')],
  async run(ctl, cmd) {
    const { dom, text } = await optDomain(ctl, cmd);
    const on = !cmd.bool('disable');
    return on
      ? act(
          ctl,
          () => dom.setAutostart(true),
          `Domain '${text}' marked as autostarted\n`,
          `Failed to mark domain '${text}' as autostarted`,
        )
      : act(
          ctl,
          () => dom.setAutostart(false),
          `Domain '${text}' unmarked as autostarted\n`,
          `Failed to unmark domain '${text}' as autostarted`,
        );
  },
};

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

export const XPATH_OPTS = [
  opt.string('xpath', 'xpath expression to filter the XML document', { named: true }),
  opt.bool('wrap', 'wrap xpath results in an common root element'),
];

/** virshDumpXML without --xpath support: print the document as the library formatted it. */
export function dumpXml(ctl: Control, cmd: ParsedCommand, xml: string): boolean {
  if (cmd.has('xpath')) {
    ctl.error('--xpath is not supported by tsvirsh yet');
    return false;
  }
  ctl.data({ xml });
  ctl.print(xml);
  return true;
}

const dumpxml: CommandDef = {
  name: 'dumpxml',
  group: 'domain',
  help: 'domain information in XML',
  desc: 'Output the domain information as an XML dump to stdout.',
  opts: [
    DOMAIN_OPT,
    opt.bool('inactive', 'show inactive defined XML'),
    opt.bool('security-info', 'include security sensitive information in XML dump'),
    opt.bool('update-cpu', 'update guest CPU according to host CPU'),
    opt.bool('migratable', 'provide XML suitable for migrations'),
    ...XPATH_OPTS,
  ],
  async run(ctl, cmd) {
    let flags = 0;
    if (cmd.bool('inactive')) flags |= DomainXmlFlags.INACTIVE;
    if (cmd.bool('security-info')) flags |= DomainXmlFlags.SECURE;
    if (cmd.bool('update-cpu')) flags |= DomainXmlFlags.UPDATE_CPU;
    if (cmd.bool('migratable')) flags |= DomainXmlFlags.MIGRATABLE;
    const { dom } = await optDomain(ctl, cmd);
    const xml = await dom.getXmlDesc(flags);
    return dumpXml(ctl, cmd, xml);
  },
};

export const domainCommands: readonly CommandDef[] = [
  autostart,
  create,
  define,
  destroy,
  domid,
  domname,
  domuuid,
  dumpxml,
  reboot,
  resume,
  shutdown,
  start,
  suspend,
  undefine,
];
