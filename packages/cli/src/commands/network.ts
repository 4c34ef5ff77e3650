import { ListNetworksFlags as F, type Network, NetworkXmlFlags } from '@tsvirt/core';
import { conn, optNetwork } from '../lookup.js';
import { field } from '../output/format.js';
import { Table } from '../output/table.js';
import { caseCompare, orUndefined as orUnknown, readFileOpt } from './common.js';
import { dumpXml, XPATH_OPTS } from './domain.js';
import { autostartCommand, NETWORK_KIND, nameAndUuidCommands, simpleCommand } from './managed-object.js';
import { type CommandDef, opt } from './types.js';

const NETWORK_OPT = NETWORK_KIND.option;

const netList: CommandDef = {
  name: 'net-list',
  group: 'network',
  help: 'list networks',
  desc: 'Returns list of networks.',
  opts: [
    opt.bool('inactive', 'list inactive networks'),
    opt.bool('all', 'list inactive & active networks'),
    opt.bool('persistent', 'list persistent networks'),
    opt.bool('transient', 'list transient networks'),
    opt.bool('autostart', 'list networks with autostart enabled'),
    opt.bool('no-autostart', 'list networks with autostart disabled'),
    opt.bool('uuid', "list uuid's only"),
    opt.bool('name', 'list network names only'),
    opt.bool('table', 'list table (default)'),
  ],
  async run(ctl, cmd) {
    let flags: number = F.ACTIVE;
    if (cmd.bool('inactive')) flags = F.INACTIVE;
    if (cmd.bool('all')) flags = F.ACTIVE | F.INACTIVE;
    if (cmd.bool('persistent')) flags |= F.PERSISTENT;
    if (cmd.bool('transient')) flags |= F.TRANSIENT;
    if (cmd.bool('autostart')) flags |= F.AUTOSTART;
    if (cmd.bool('no-autostart')) flags |= F.NO_AUTOSTART;
    const optName = cmd.bool('name');
    const optUUID = cmd.bool('uuid');
    let optTable = cmd.bool('table');
    if (Number(optTable) + Number(optName) + Number(optUUID) > 1) {
      ctl.error('Only one argument from --table, --name and --uuid may be specified.');
      return false;
    }
    if (!optUUID && !optName) optTable = true;
    let nets: Network[];
    try {
      nets = (await conn(ctl).listAllNetworks(flags)).sort((a, b) => caseCompare(a.getName(), b.getName()));
    } catch (e) {
      ctl.saveError(e);
      ctl.error('Failed to list networks');
      return false;
    }
    const table = new Table(['Name', 'State', 'Autostart', 'Persistent']);
    const doc: Record<string, unknown>[] = [];
    let text = '';
    for (const net of nets) {
      const autostart = await orUnknown(() => net.getAutostart());
      const active = (await orUnknown(() => net.isActive())) ?? false;
      const persistent = (await orUnknown(() => net.isPersistent())) ?? false;
      doc.push({ name: net.getName(), uuid: net.getUUIDString(), active, autostart: autostart ?? null, persistent });
      if (optTable) {
        const auto = autostart === undefined ? 'no autostart' : autostart ? 'yes' : 'no';
        table.add(net.getName(), active ? 'active' : 'inactive', auto, persistent ? 'yes' : 'no');
      } else if (optUUID) {
        text += `${net.getUUIDString()}\n`;
      } else if (optName) {
        text += `${net.getName()}\n`;
      }
    }
    ctl.data(doc);
    ctl.print(optTable ? table.render(!ctl.quiet) : text);
    return true;
  },
};

const netInfo: CommandDef = {
  name: 'net-info',
  group: 'network',
  help: 'network information',
  desc: 'Returns basic information about the network',
  opts: [NETWORK_OPT],
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const doc: Record<string, unknown> = { name: net.getName(), uuid: net.getUUIDString() };
    let out = field('Name:', net.getName()) + field('UUID:', net.getUUIDString());
    const active = await orUnknown(() => net.isActive());
    if (active !== undefined) {
      out += field('Active:', active ? 'yes' : 'no');
      doc.active = active;
    }
    const persistent = await orUnknown(() => net.isPersistent());
    out += field('Persistent:', persistent === undefined ? 'unknown' : persistent ? 'yes' : 'no');
    doc.persistent = persistent ?? null;
    const autostart = await orUnknown(() => net.getAutostart());
    out += field('Autostart:', autostart === undefined ? 'no autostart' : autostart ? 'yes' : 'no');
    doc.autostart = autostart ?? null;
    try {
      const bridge = await net.getBridgeName();
      out += field('Bridge:', bridge);
      doc.bridge = bridge;
    } catch (e) {
      ctl.saveError(e);
    }
    ctl.data(doc);
    ctl.print(out);
    return true;
  },
};

const netDumpxml: CommandDef = {
  name: 'net-dumpxml',
  group: 'network',
  help: 'network information in XML',
  desc: 'Output the network information as an XML dump to stdout.',
  opts: [NETWORK_OPT, opt.bool('inactive', 'show inactive defined XML'), ...XPATH_OPTS],
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const xml = await net.getXmlDesc(cmd.bool('inactive') ? NetworkXmlFlags.INACTIVE : 0);
    return dumpXml(ctl, cmd, xml);
  },
};

function fromFile(name: 'net-define' | 'net-create', help: string, desc: string): CommandDef {
  const verb = name === 'net-define' ? 'define' : 'create';
  return {
    name,
    group: 'network',
    help,
    desc,
    opts: [
      opt.data('file', 'file containing an XML network description'),
      opt.bool('validate', 'validate the XML against the schema'),
    ],
    async run(ctl, cmd) {
      const f = readFileOpt(ctl, cmd);
      if (!f) return false;
      let net: Network;
      try {
        const c = conn(ctl);
        net = verb === 'define' ? await c.defineNetworkXml(f.xml) : await c.createNetworkXml(f.xml);
      } catch (e) {
        ctl.saveError(e);
        ctl.error(`Failed to ${verb} network from ${f.file}`);
        return false;
      }
      ctl.data({ name: net.getName(), uuid: net.getUUIDString() });
      ctl.printExtra(`Network ${net.getName()} ${verb}d from ${f.file}\n`);
      return true;
    },
  };
}

const [netName, netUuid] = nameAndUuidCommands(NETWORK_KIND, {
  nameArg: opt.data('network', 'network uuid'),
  uuidArg: opt.data('network', 'network name'),
});

export const networkCommands: readonly CommandDef[] = [
  autostartCommand(NETWORK_KIND),
  fromFile('net-create', 'create a network from an XML file', 'Create a network.'),
  fromFile(
    'net-define',
    'define an inactive persistent virtual network or modify an existing persistent one from an XML file',
    'Define or modify a persistent virtual network.',
  ),
  simpleCommand(
    NETWORK_KIND,
    {
      name: 'net-destroy',
      help: 'destroy (stop) a network',
      desc: 'Forcefully stop a given network.',
      done: 'destroyed',
      verb: 'destroy',
    },
    (n) => n.destroy(),
  ),
  netDumpxml,
  netInfo,
  netList,
  netName,
  simpleCommand(
    NETWORK_KIND,
    {
      name: 'net-start',
      help: 'start a (previously defined) inactive network',
      desc: 'Start a network.',
      done: 'started',
      verb: 'start',
    },
    (n) => n.create(),
  ),
  simpleCommand(
    NETWORK_KIND,
    {
      name: 'net-undefine',
      help: 'undefine a persistent network',
      desc: 'Undefine the configuration for a persistent network.',
      done: 'has been undefined',
      verb: 'undefine',
    },
    (n) => n.undefine(),
  ),
  netUuid,
];
