import { ListNetworksFlags as F, NetworkXmlFlags } from '@tsvirt/core';
import { conn, optNetwork } from '../lookup.js';
import { field } from '../output/format.js';
import { Table } from '../output/table.js';
import {
  autostartText,
  listFilterFlags,
  orFail,
  orUndefined as orUnknown,
  persistenceLines,
  sortByName,
} from './common.js';
import {
  autostartCommand,
  dumpXmlCommand,
  fileOpt,
  fromFileCommand,
  NETWORK_KIND,
  nameAndUuidCommands,
  simpleCommand,
} from './managed-object.js';
import { networkPortCommands } from './network-port.js';
import { netDhcpLeases, netUpdate } from './network-update.js';
import { type CommandDef, opt } from './types.js';

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
    const flags = listFilterFlags(cmd, F);
    const optName = cmd.bool('name');
    const optUUID = cmd.bool('uuid');
    let optTable = cmd.bool('table');
    if (Number(optTable) + Number(optName) + Number(optUUID) > 1) {
      ctl.error('Only one argument from --table, --name and --uuid may be specified.');
      return false;
    }
    if (!optUUID && !optName) optTable = true;
    const nets = await orFail(ctl, () => conn(ctl).listAllNetworks(flags), 'Failed to list networks');
    if (!nets) return false;
    sortByName(nets);
    const table = new Table(['Name', 'State', 'Autostart', 'Persistent']);
    const doc: Record<string, unknown>[] = [];
    let text = '';
    for (const net of nets) {
      const autostart = await orUnknown(() => net.getAutostart());
      const active = (await orUnknown(() => net.isActive())) ?? false;
      const persistent = (await orUnknown(() => net.isPersistent())) ?? false;
      doc.push({ name: net.getName(), uuid: net.getUUIDString(), active, autostart: autostart ?? null, persistent });
      if (optTable) {
        table.add(net.getName(), active ? 'active' : 'inactive', autostartText(autostart), persistent ? 'yes' : 'no');
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
  opts: NETWORK_KIND.opts,
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const doc: Record<string, unknown> = { name: net.getName(), uuid: net.getUUIDString() };
    let out = field('Name:', net.getName()) + field('UUID:', net.getUUIDString());
    const active = await orUnknown(() => net.isActive());
    if (active !== undefined) {
      out += field('Active:', active ? 'yes' : 'no');
      doc.active = active;
    }
    out += await persistenceLines(net, doc);
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

const netDumpxml = dumpXmlCommand(NETWORK_KIND, [opt.bool('inactive', 'show inactive defined XML')], (net, cmd) =>
  net.getXmlDesc(cmd.bool('inactive') ? NetworkXmlFlags.INACTIVE : 0),
);

const FILE_OPTS = [fileOpt(NETWORK_KIND), opt.bool('validate', 'validate the XML against the schema')];

const netCreate = fromFileCommand(NETWORK_KIND, {
  name: 'net-create',
  help: 'create a network from an XML file',
  desc: 'Create a network.',
  verb: 'create',
  opts: FILE_OPTS,
  make: (ctl, _cmd, xml) => conn(ctl).createNetworkXml(xml),
});

const netDefine = fromFileCommand(NETWORK_KIND, {
  name: 'net-define',
  help: 'define an inactive persistent virtual network or modify an existing persistent one from an XML file',
  desc: 'Define or modify a persistent virtual network.',
  verb: 'define',
  opts: FILE_OPTS,
  make: (ctl, _cmd, xml) => conn(ctl).defineNetworkXml(xml),
});

const [netName, netUuid] = nameAndUuidCommands(NETWORK_KIND, {
  nameArg: opt.data('network', 'network uuid'),
  uuidArg: opt.data('network', 'network name'),
});

export const networkCommands: readonly CommandDef[] = [
  autostartCommand(NETWORK_KIND),
  netCreate,
  netDefine,
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
  netDhcpLeases,
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
  netUpdate,
  netUuid,
  ...networkPortCommands,
];
