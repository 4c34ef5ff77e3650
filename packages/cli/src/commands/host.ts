import { conn, optString } from '../lookup.js';
import { padRight } from '../output/format.js';
import { orFail } from './common.js';
import { nodecpumap } from './host-cpumap.js';
import { type CommandDef, opt } from './types.js';

/** libvirt's version encoding: major * 1,000,000 + minor * 1,000 + release. */
export function versionText(v: number): string {
  return `${Math.floor(v / 1_000_000)}.${Math.floor((v % 1_000_000) / 1000)}.${v % 1000}`;
}

const capabilities: CommandDef = {
  name: 'capabilities',
  group: 'host',
  help: 'capabilities',
  desc: 'Returns capabilities of hypervisor/driver.',
  opts: [],
  async run(ctl) {
    const caps = await orFail(ctl, () => conn(ctl).getCapabilities(), 'failed to get capabilities');
    if (caps === undefined) return false;
    ctl.data({ xml: caps });
    ctl.print(`${caps}\n`);
    return true;
  },
};

const domcapabilities: CommandDef = {
  name: 'domcapabilities',
  group: 'host',
  help: 'domain capabilities',
  desc: 'Returns capabilities of emulator with respect to host and libvirt.',
  opts: [
    opt.string('virttype', 'virtualization type (/domain/@type)', { named: true }),
    opt.string('emulatorbin', 'path to emulator binary (/domain/devices/emulator)', { named: true }),
    opt.string('arch', 'domain architecture (/domain/os/type/@arch)', { named: true }),
    opt.string('machine', 'machine type (/domain/os/type/@machine)', { named: true }),
  ],
  async run(ctl, cmd) {
    const query = {
      ...(cmd.string('virttype') !== undefined ? { virtType: cmd.string('virttype') } : {}),
      ...(cmd.string('emulatorbin') !== undefined ? { emulator: cmd.string('emulatorbin') } : {}),
      ...(cmd.string('arch') !== undefined ? { arch: cmd.string('arch') } : {}),
      ...(cmd.string('machine') !== undefined ? { machine: cmd.string('machine') } : {}),
    };
    const xml = await orFail(ctl, () => conn(ctl).getDomainCapabilities(query), 'failed to get emulator capabilities');
    if (xml === undefined) return false;
    ctl.data({ xml });
    ctl.print(xml.endsWith('\n') ? xml : `${xml}\n`);
    return true;
  },
};

const version: CommandDef = {
  name: 'version',
  group: 'host',
  help: 'show version',
  desc: 'Display the system version information.',
  opts: [opt.bool('daemon', 'report daemon version too')],
  async run(ctl, cmd) {
    const c = conn(ctl);
    const lib = await c.getLibVersion();
    let out = `Compiled against library: libvirt ${versionText(lib)}\n`;
    out += `Using library: libvirt ${versionText(lib)}\n`;
    const type = c.getType();
    out += `Using API: ${type} ${versionText(lib)}\n`;
    const doc: Record<string, unknown> = { library: versionText(lib), api: { type, version: versionText(lib) } };
    let hv: number;
    try {
      hv = await c.getVersion();
    } catch (e) {
      ctl.print(out);
      ctl.saveError(e);
      ctl.error('failed to get the hypervisor version');
      return false;
    }
    if (hv === 0) out += `Cannot extract running ${type} hypervisor version\n`;
    else out += `Running hypervisor: ${type} ${versionText(hv)}\n`;
    doc.hypervisor = { type, version: hv === 0 ? null : versionText(hv) };
    if (cmd.bool('daemon')) {
      try {
        const d = await c.getLibVersion();
        out += `Running against daemon: ${versionText(d)}\n`;
        doc.daemon = versionText(d);
      } catch (e) {
        ctl.print(out);
        ctl.saveError(e);
        ctl.error('failed to get the daemon version');
        return false;
      }
    }
    ctl.data(doc);
    ctl.print(out);
    return true;
  },
};

const hostname: CommandDef = {
  name: 'hostname',
  group: 'host',
  help: 'print the hypervisor hostname',
  desc: '',
  opts: [],
  async run(ctl) {
    const name = await orFail(ctl, () => conn(ctl).getHostname(), 'failed to get hostname');
    if (name === undefined) return false;
    ctl.data({ hostname: name });
    ctl.print(`${name}\n`);
    return true;
  },
};

const sysinfo: CommandDef = {
  name: 'sysinfo',
  group: 'host',
  help: 'print the hypervisor sysinfo',
  desc: 'output an XML string for the hypervisor sysinfo, if available',
  opts: [],
  async run(ctl) {
    const doc = await orFail(ctl, () => conn(ctl).getSysinfo(), 'failed to get sysinfo');
    if (doc === undefined) return false;
    ctl.data({ sysinfo: doc });
    ctl.print(doc);
    return true;
  },
};

const nodeinfo: CommandDef = {
  name: 'nodeinfo',
  group: 'host',
  help: 'node information',
  desc: 'Returns basic information about the node.',
  opts: [],
  async run(ctl) {
    const info = await orFail(ctl, () => conn(ctl).getNodeInfo(), 'failed to get node information');
    if (!info) return false;
    const line = (label: string, value: string | number) => `${padRight(label, 20)} ${value}\n`;
    let out = line('CPU model:', info.model);
    out += line('CPU(s):', info.cpus);
    if (info.mhz) out += line('CPU frequency:', `${info.mhz} MHz`);
    out += line('CPU socket(s):', info.sockets);
    out += line('Core(s) per socket:', info.cores);
    out += line('Thread(s) per core:', info.threads);
    out += line('NUMA cell(s):', info.nodes);
    out += line('Memory size:', `${info.memory} KiB`);
    ctl.data(info);
    ctl.print(out);
    return true;
  },
};

const uri: CommandDef = {
  name: 'uri',
  group: 'host',
  help: 'print the hypervisor canonical URI',
  desc: '',
  opts: [],
  async run(ctl) {
    let u: string;
    try {
      u = conn(ctl).getUri();
    } catch (e) {
      ctl.saveError(e);
      ctl.error('failed to get URI');
      return false;
    }
    ctl.data({ uri: u });
    ctl.print(`${u}\n`);
    return true;
  },
};

const maxvcpus: CommandDef = {
  name: 'maxvcpus',
  group: 'host',
  help: 'connection vcpu maximum',
  desc: 'Show maximum number of virtual CPUs for guests on this connection.',
  opts: [opt.string('type', 'domain type')],
  async run(ctl, cmd) {
    const type = optString(ctl, cmd, 'type');
    const n = await conn(ctl).getMaxVcpus(type);
    ctl.data({ maxvcpus: n });
    ctl.print(`${n}\n`);
    return true;
  },
};

export const hostCommands: readonly CommandDef[] = [
  capabilities,
  domcapabilities,
  hostname,
  maxvcpus,
  nodecpumap,
  nodeinfo,
  sysinfo,
  uri,
  version,
];
