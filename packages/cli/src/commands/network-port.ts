/** net-port-list, net-port-create, net-port-dumpxml, net-port-delete, as virsh words them. */
import { type Network, NetworkPortCreateFlags } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optNetwork } from '../lookup.js';
import { Table } from '../output/table.js';
import type { ParsedCommand } from '../parse-args.js';
import { dumpXml, orFail, readFileOpt, XPATH_OPTS } from './common.js';
import { NETWORK_OPT } from './managed-object.js';
import { type CommandDef, opt } from './types.js';

const PORT_OPT = opt.data('port', 'port UUID');

/**
 * virshCommandOptNetworkPort: the --port UUID looked up in the network. virsh 9.0's
 * net-port-dumpxml and net-port-delete then end successfully (status 0) without the library's
 * error: its commands start from "true" and only say they failed to get the port.
 */
async function optPort(ctl: Control, cmd: ParsedCommand, net: Network) {
  const uuid = cmd.string('port') ?? '';
  try {
    return await net.lookupPortByUUIDString(uuid);
  } catch {
    ctl.error(`failed to get network port '${uuid}'`);
    return undefined;
  }
}

const netPortList: CommandDef = {
  name: 'net-port-list',
  group: 'network',
  help: 'list network ports',
  desc: 'Returns list of network ports.',
  opts: [NETWORK_OPT, opt.bool('uuid', "list uuid's only"), opt.bool('table', 'list table (default)')],
  async run(ctl, cmd) {
    const uuidOnly = cmd.bool('uuid');
    if (uuidOnly && cmd.bool('table')) {
      ctl.error('Only one argument from --table and --uuid may be specified.');
      return false;
    }
    const { net } = await optNetwork(ctl, cmd);
    let ports: Awaited<ReturnType<Network['listAllPorts']>>;
    try {
      ports = await net.listAllPorts();
    } catch (e) {
      // virsh adds no words of its own here.
      ctl.saveError(e);
      return false;
    }
    // virsh sorts by the UUID's bytes, which is the order of the lower-case text.
    const uuids = ports.map((p) => p.getUUIDString()).sort();
    ctl.data(uuids.map((uuid) => ({ uuid })));
    if (uuidOnly) {
      for (const u of uuids) ctl.print(`${u}\n`);
      return true;
    }
    const table = new Table(['UUID']);
    for (const u of uuids) table.add(u);
    ctl.print(table.render(!ctl.quiet));
    return true;
  },
};

const netPortCreate: CommandDef = {
  name: 'net-port-create',
  group: 'network',
  help: 'create a network port from an XML file',
  desc: 'Create a network port.',
  opts: [
    NETWORK_OPT,
    opt.data('file', 'file containing an XML network port description'),
    opt.bool('validate', 'validate the XML against the schema'),
  ],
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const f = readFileOpt(ctl, cmd);
    if (!f) return false;
    const flags = cmd.bool('validate') ? NetworkPortCreateFlags.VALIDATE : 0;
    // virsh's own wording (it says "network" here, not "network port").
    const port = await orFail(ctl, () => net.createPort(f.xml, flags), `Failed to create network from ${f.file}`);
    if (!port) return false;
    ctl.data({ uuid: port.getUUIDString() });
    ctl.printExtra(`Network port ${port.getUUIDString()} created from ${f.file}\n`);
    return true;
  },
};

const netPortDumpxml: CommandDef = {
  name: 'net-port-dumpxml',
  group: 'network',
  help: 'network port information in XML',
  desc: 'Output the network port information as an XML dump to stdout.',
  opts: [NETWORK_OPT, PORT_OPT, ...XPATH_OPTS],
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const port = await optPort(ctl, cmd, net);
    if (!port) return true;
    const xml = await orFail(ctl, () => port.getXMLDesc(), 'Failed to get network port XML');
    return xml !== undefined && dumpXml(ctl, cmd, xml);
  },
};

const netPortDelete: CommandDef = {
  name: 'net-port-delete',
  group: 'network',
  help: 'delete the specified network port',
  desc: 'Delete the specified network port.',
  opts: [NETWORK_OPT, PORT_OPT],
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const port = await optPort(ctl, cmd, net);
    if (!port) return true;
    const uuid = port.getUUIDString();
    const ok = await orFail(ctl, () => port.delete().then(() => true), `Failed to delete network port ${uuid}`);
    if (!ok) return false;
    ctl.printExtra(`Network port ${uuid} deleted\n`);
    return true;
  },
};

/** In virsh's help order (after net-uuid). */
export const networkPortCommands: readonly CommandDef[] = [netPortList, netPortCreate, netPortDumpxml, netPortDelete];
