import { type Domain, ErrorCode, ListDomainsFlags as F, isVirError } from '@tsvirt/core';
import type { Control } from '../control.js';
import { conn, optDomain } from '../lookup.js';
import { field } from '../output/format.js';
import { Table } from '../output/table.js';
import type { ParsedCommand } from '../parse-args.js';
import { caseCompare, orUndefined, yesNoUnknown } from './common.js';
import { domainReasonText, domainStateText } from './states.js';
import { type CommandDef, opt } from './types.js';
import { domainTitle } from './xml-text.js';

/** virshDomainState: the state and reason, or undefined (error pending) when it cannot be read. */
async function domainState(ctl: Control, dom: Domain): Promise<{ state: number; reason: number } | undefined> {
  try {
    return await dom.getState();
  } catch (e) {
    if (isVirError(e) && e.code === ErrorCode.NO_SUPPORT) {
      try {
        const info = await dom.getInfo();
        return { state: info.state, reason: 0 };
      } catch (e2) {
        ctl.saveError(e2);
        return undefined;
      }
    }
    ctl.saveError(e);
    return undefined;
  }
}

const LIST_FILTERS: readonly [string, number][] = [
  ['persistent', F.PERSISTENT],
  ['transient', F.TRANSIENT],
  ['with-managed-save', F.MANAGEDSAVE],
  ['without-managed-save', F.NO_MANAGEDSAVE],
  ['autostart', F.AUTOSTART],
  ['no-autostart', F.NO_AUTOSTART],
  ['with-snapshot', F.HAS_SNAPSHOT],
  ['without-snapshot', F.NO_SNAPSHOT],
  ['with-checkpoint', F.HAS_CHECKPOINT],
  ['without-checkpoint', F.NO_CHECKPOINT],
  ['state-running', F.RUNNING],
  ['state-paused', F.PAUSED],
  ['state-shutoff', F.SHUTOFF],
  ['state-other', F.OTHER],
];

/** virsh's order: running domains by id, then the others by name, ignoring case. */
function sortDomains(list: Domain[]): Domain[] {
  return [...list].sort((a, b) => {
    const ia = a.getID();
    const ib = b.getID();
    if (ia < 0 && ib < 0) return caseCompare(a.getName(), b.getName());
    if (ia >= 0 && ib >= 0) return ia - ib;
    return ia >= 0 ? -1 : 1;
  });
}

const list: CommandDef = {
  name: 'list',
  group: 'monitor',
  help: 'list domains',
  desc: 'Returns list of domains.',
  opts: [
    opt.bool('inactive', 'list inactive domains'),
    opt.bool('all', 'list inactive & active domains'),
    opt.bool('transient', 'list transient domains'),
    opt.bool('persistent', 'list persistent domains'),
    opt.bool('with-snapshot', 'list domains with existing snapshot'),
    opt.bool('without-snapshot', 'list domains without a snapshot'),
    opt.bool('with-checkpoint', 'list domains with existing checkpoint'),
    opt.bool('without-checkpoint', 'list domains without a checkpoint'),
    opt.bool('state-running', 'list domains in running state'),
    opt.bool('state-paused', 'list domains in paused state'),
    opt.bool('state-shutoff', 'list domains in shutoff state'),
    opt.bool('state-other', 'list domains in other states'),
    opt.bool('autostart', 'list domains with autostart enabled'),
    opt.bool('no-autostart', 'list domains with autostart disabled'),
    opt.bool('with-managed-save', 'list domains with managed save state'),
    opt.bool('without-managed-save', 'list domains without managed save'),
    opt.bool('uuid', "list uuid's only"),
    opt.bool('name', 'list domain names only'),
    opt.bool('id', 'list domain IDs only'),
    opt.bool('table', 'list table (default)'),
    opt.bool('managed-save', 'mark inactive domains with managed save state'),
    opt.bool('title', 'show domain title'),
  ],
  async run(ctl, cmd) {
    const managed = cmd.bool('managed-save');
    const optTitle = cmd.bool('title');
    let optTable = cmd.bool('table');
    const optUUID = cmd.bool('uuid');
    const optName = cmd.bool('name');
    const optID = cmd.bool('id');
    let flags: number = F.ACTIVE;
    if (cmd.bool('inactive') || cmd.bool('state-shutoff')) flags = F.INACTIVE;
    if (cmd.bool('all')) flags = F.ACTIVE | F.INACTIVE;
    for (const [name, bit] of LIST_FILTERS) if (cmd.bool(name)) flags |= bit;
    for (const other of ['name', 'id', 'uuid']) {
      if (optTable && cmd.bool(other)) {
        ctl.error(`Options --table and --${other} are mutually exclusive`);
        return false;
      }
    }
    if (!optUUID && !optName && !optID) optTable = true;

    let domains: Domain[];
    try {
      domains = sortDomains(await conn(ctl).listAllDomains(flags));
    } catch (e) {
      ctl.saveError(e);
      ctl.error('Failed to list domains');
      return false;
    }

    const header = ['Id', 'Name', 'State'];
    if (optTitle) header.push('Title');
    if (optUUID) header.push('UUID');
    const table = new Table(header);
    const doc: Record<string, unknown>[] = [];
    let text = '';
    for (const dom of domains) {
      const id = dom.getID();
      const idText = id >= 0 ? String(id) : '-';
      const entry: Record<string, unknown> = {
        id: id >= 0 ? id : null,
        name: dom.getName(),
        uuid: dom.getUUIDString(),
      };
      if (optTable) {
        const st = await domainState(ctl, dom);
        if (!st) continue;
        let stateText = domainStateText(st.state);
        if (managed && st.state === 5 && (await dom.hasManagedSaveImage().catch(() => false))) stateText = 'saved';
        entry.state = stateText;
        const extra: string[] = [];
        if (optTitle) {
          const title = await domainTitle(dom);
          extra.push(title);
          entry.title = title;
        }
        if (optUUID) extra.push(dom.getUUIDString());
        table.add(idText, dom.getName(), stateText, ...extra);
      } else {
        const parts: string[] = [];
        if (optUUID) parts.push(dom.getUUIDString());
        if (optID) {
          if (id < 0 && !optUUID && !optName) continue;
          parts.push(idText);
        }
        if (optName) parts.push(dom.getName());
        text += `${parts.join(' ')}\n`;
      }
      doc.push(entry);
    }
    ctl.data(doc);
    if (optTable) ctl.print(table.render(!ctl.quiet));
    else ctl.print(text);
    return true;
  },
};

const dominfo: CommandDef = {
  name: 'dominfo',
  group: 'monitor',
  help: 'domain information',
  desc: 'Returns basic information about the domain.',
  opts: [opt.data('domain', 'domain name, id or uuid')],
  async run(ctl, cmd) {
    const { dom } = await optDomain(ctl, cmd);
    const c = conn(ctl);
    let ok = true;
    const doc: Record<string, unknown> = {};
    let out = '';
    const id = dom.getID();
    out += field('Id:', id >= 0 ? String(id) : '-');
    out += field('Name:', dom.getName());
    out += field('UUID:', dom.getUUIDString());
    doc.id = id >= 0 ? id : null;
    doc.name = dom.getName();
    doc.uuid = dom.getUUIDString();
    try {
      const os = await dom.getOSType();
      out += field('OS Type:', os);
      doc.osType = os;
    } catch (e) {
      ctl.saveError(e);
    }
    try {
      const info = await dom.getInfo();
      out += field('State:', domainStateText(info.state));
      out += field('CPU(s):', info.nrVirtCpu);
      if (info.cpuTime !== 0n) out += field('CPU time:', `${(Number(info.cpuTime) / 1e9).toFixed(1)}s`);
      out += field('Max memory:', info.maxMem !== 0xffffffff ? `${info.maxMem} KiB` : 'no limit');
      out += field('Used memory:', `${info.memory} KiB`);
      Object.assign(doc, {
        state: domainStateText(info.state),
        cpus: info.nrVirtCpu,
        cpuTimeNs: info.cpuTime,
        maxMemoryKiB: info.maxMem,
        usedMemoryKiB: info.memory,
      });
    } catch (e) {
      ctl.saveError(e);
      ok = false;
    }
    const persistent = await orUndefined(() => dom.isPersistent());
    out += field('Persistent:', yesNoUnknown(persistent));
    if (persistent !== undefined) doc.persistent = persistent;
    try {
      const a = await dom.getAutostart();
      out += field('Autostart:', a ? 'enable' : 'disable');
      doc.autostart = a;
    } catch (e) {
      ctl.saveError(e);
    }
    const managedSave = await orUndefined(() => dom.hasManagedSaveImage());
    out += field('Managed save:', yesNoUnknown(managedSave));
    if (managedSave !== undefined) doc.managedSave = managedSave;
    let model: { model: string; doi: string } | undefined;
    try {
      model = await c.getSecurityModel();
    } catch (e) {
      if (!(isVirError(e) && e.code === ErrorCode.NO_SUPPORT)) {
        ctl.saveError(e);
        ctl.print(out);
        return false;
      }
    }
    if (model && model.model !== '') {
      out += field('Security model:', model.model);
      out += field('Security DOI:', model.doi);
      doc.securityModel = model.model;
      doc.securityDoi = model.doi;
      try {
        const label = await dom.getSecurityLabel();
        if (label.label !== '') {
          out += field('Security label:', `${label.label} (${label.enforcing ? 'enforcing' : 'permissive'})`);
          doc.securityLabel = label.label;
          doc.securityEnforcing = label.enforcing;
        }
      } catch (e) {
        ctl.saveError(e);
        ctl.print(out);
        return false;
      }
    }
    ctl.print(out);
    ctl.data(doc);
    return ok;
  },
};

const domstate: CommandDef = {
  name: 'domstate',
  group: 'monitor',
  help: 'domain state',
  desc: 'Returns state about a domain.',
  opts: [opt.data('domain', 'domain name, id or uuid'), opt.bool('reason', 'also print reason for the state')],
  async run(ctl, cmd: ParsedCommand) {
    const { dom } = await optDomain(ctl, cmd);
    const st = await domainState(ctl, dom);
    if (!st) return false;
    const state = domainStateText(st.state);
    const reason = domainReasonText(st.state, st.reason);
    ctl.data({ state, reason });
    ctl.print(cmd.bool('reason') ? `${state} (${reason})\n` : `${state}\n`);
    return true;
  },
};

export const domainMonitorCommands: readonly CommandDef[] = [list, dominfo, domstate];
