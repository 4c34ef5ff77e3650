/** net-update and net-dhcp-leases, as virsh words them. */
import { NetworkUpdateCommand as Cmd, NetworkUpdateFlags as Flags, NetworkUpdateSection as Sec } from '@tsvirt/core';
import { readXmlFile } from '../files.js';
import { optNetwork } from '../lookup.js';
import { Table } from '../output/table.js';
import { orFail } from './common.js';
import { NETWORK_OPT } from './managed-object.js';
import { type CommandDef, opt } from './types.js';

const COMMANDS: Record<string, number> = {
  add: Cmd.ADD_LAST,
  'add-last': Cmd.ADD_LAST,
  'add-first': Cmd.ADD_FIRST,
  delete: Cmd.DELETE,
  modify: Cmd.MODIFY,
};

/** virsh's section names (virNetworkUpdateSection, lower case, '_' as '-'). */
const SECTIONS: Record<string, number> = {
  none: Sec.NONE,
  bridge: Sec.BRIDGE,
  domain: Sec.DOMAIN,
  ip: Sec.IP,
  'ip-dhcp-host': Sec.IP_DHCP_HOST,
  'ip-dhcp-range': Sec.IP_DHCP_RANGE,
  forward: Sec.FORWARD,
  'forward-interface': Sec.FORWARD_INTERFACE,
  'forward-pf': Sec.FORWARD_PF,
  portgroup: Sec.PORTGROUP,
  'dns-host': Sec.DNS_HOST,
  'dns-txt': Sec.DNS_TXT,
  'dns-srv': Sec.DNS_SRV,
};

export const netUpdate: CommandDef = {
  name: 'net-update',
  group: 'network',
  help: "update parts of an existing network's configuration",
  desc: '',
  opts: [
    NETWORK_OPT,
    opt.data('command', 'type of update (add-first, add-last (add), delete, or modify)'),
    opt.data('section', 'which section of network configuration to update'),
    opt.data(
      'xml',
      "name of file containing xml (or, if it starts with '<', the complete xml element itself) to add/modify, or to be matched for search",
    ),
    opt.int('parent-index', 'which parent object to search through', { named: true }),
    opt.bool('config', 'affect next network startup'),
    opt.bool('live', 'affect running network'),
    opt.bool('current', 'affect current state of network'),
  ],
  async run(ctl, cmd) {
    const config = cmd.bool('config');
    const live = cmd.bool('live');
    for (const other of ['live', 'config'] as const) {
      if (cmd.bool('current') && cmd.bool(other)) {
        ctl.error(`Options --current and --${other} are mutually exclusive`);
        return false;
      }
    }
    const { net } = await optNetwork(ctl, cmd);
    const commandText = cmd.string('command') ?? '';
    const command = COMMANDS[commandText];
    if (command === undefined) {
      ctl.error(`unrecognized command name '${commandText}'`);
      return false;
    }
    const sectionText = cmd.string('section') ?? '';
    const section = SECTIONS[sectionText];
    if (section === undefined) {
      ctl.error(`unrecognized section name '${sectionText}'`);
      return false;
    }
    let parentIndex = -1;
    const indexText = cmd.string('parent-index');
    if (indexText !== undefined) {
      if (!/^[+-]?\d+$/.test(indexText) || Math.abs(Number(indexText)) > 0x7fffffff) {
        ctl.error(`Numeric value '${indexText}' for <parent-index> option is malformed or out of range`);
        return false;
      }
      parentIndex = Number(indexText);
    }
    // An element itself when it starts with '<', else a file holding it.
    let xml = cmd.string('xml') ?? '';
    if (!xml.startsWith('<')) {
      try {
        xml = readXmlFile(xml);
      } catch (e) {
        ctl.saveError(e);
        return false;
      }
    }
    const flags = (config ? Flags.AFFECT_CONFIG : 0) | (live ? Flags.AFFECT_LIVE : 0);
    const name = net.getName();
    const ok = await orFail(
      ctl,
      () => net.update(command, section, parentIndex, xml, flags).then(() => true),
      `Failed to update network ${name}`,
    );
    if (!ok) return false;
    let affected: string;
    if (config) affected = live ? 'persistent config and live state' : 'persistent config';
    else if (live) affected = 'live state';
    else affected = (await net.isActive().catch(() => false)) ? 'live state' : 'persistent config';
    // No newline of its own: the line ends with the one virsh prints after every command.
    ctl.printExtra(`Updated network ${name} ${affected}`);
    return true;
  },
};

/** strftime's "%Y-%m-%d %H:%M:%S" in local time. */
function localTime(epoch: number): string {
  const d = new Date(epoch * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export const netDhcpLeases: CommandDef = {
  name: 'net-dhcp-leases',
  group: 'network',
  help: 'print lease info for a given network',
  desc: 'Print lease info for a given network',
  opts: [NETWORK_OPT, opt.string('mac', 'MAC address', { named: true })],
  async run(ctl, cmd) {
    const { net } = await optNetwork(ctl, cmd);
    const mac = cmd.string('mac');
    const leases = await orFail(ctl, () => net.getDHCPLeases(mac, 0), `Failed to get leases info for ${net.getName()}`);
    if (!leases) return false;
    // virsh sorts by MAC, case-insensitively.
    const sorted = [...leases].sort((a, b) => (a.mac ?? '').toLowerCase().localeCompare((b.mac ?? '').toLowerCase()));
    const table = new Table(['Expiry Time', 'MAC address', 'Protocol', 'IP address', 'Hostname', 'Client ID or DUID']);
    for (const l of sorted) {
      table.add(
        localTime(l.expiryTime),
        l.mac || '-',
        l.type === 1 ? 'ipv6' : 'ipv4',
        `${l.ipAddress}/${l.prefix}`,
        l.hostname || '-',
        l.clientId || '-',
      );
    }
    ctl.data(
      sorted.map((l) => ({
        expiryTime: l.expiryTime,
        mac: l.mac ?? null,
        protocol: l.type === 1 ? 'ipv6' : 'ipv4',
        ipAddress: l.ipAddress,
        prefix: l.prefix,
        hostname: l.hostname ?? null,
        clientId: l.clientId ?? null,
      })),
    );
    ctl.print(table.render(!ctl.quiet));
    return true;
  },
};
