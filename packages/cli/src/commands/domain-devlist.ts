/** domblklist and domiflist: a domain's disks and NICs, read from its XML as virsh reads them. */
import { DomainXmlFlags, parseXml, type XmlElement } from '@tsvirt/core';
import { optDomain } from '../lookup.js';
import { Table } from '../output/table.js';
import { type CommandDef, opt } from './types.js';

const children = (el: XmlElement, name: string): XmlElement[] =>
  el.nodes.filter((n): n is XmlElement => typeof n !== 'string' && n.name === name);

/**
 * The first of `names` among the attributes of the <source> children, in document order (what
 * virsh's `string(./source/@a|./source/@b…)` picks); undefined when none is set or it is empty.
 */
function sourceAttr(el: XmlElement, names: readonly string[]): string | undefined {
  for (const source of children(el, 'source')) {
    for (const [name, value] of Object.entries(source.attrs)) if (names.includes(name)) return value || undefined;
  }
  return undefined;
}

const nonEmpty = (v: string | undefined): string | undefined => (v ? v : undefined);
const hex = (v: string | undefined, width: number): string =>
  Number.parseInt(v ?? '0', 16)
    .toString(16)
    .padStart(width, '0');

/** An NVMe disk's source as virsh prints it: nvme://DDDD:BB:SS.F/NAMESPACE. */
function nvmeSource(disk: XmlElement): string | undefined {
  const source = children(disk, 'source')[0];
  const address = source && children(source, 'address')[0];
  const namespace = source?.attrs.namespace;
  if (!address || !namespace) return undefined;
  const a = address.attrs;
  const fn = Number.parseInt(a.function ?? '0', 16);
  return `nvme://${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${fn}/${namespace}`;
}

async function devices(
  ctl: Parameters<CommandDef['run']>[0],
  cmd: Parameters<CommandDef['run']>[1],
  name: string,
): Promise<XmlElement[]> {
  const { dom } = await optDomain(ctl, cmd);
  const xml = await dom.getXmlDesc(cmd.bool('inactive') ? DomainXmlFlags.INACTIVE : 0);
  const root = parseXml(xml, { documentName: 'domain_definition' });
  return children(root, 'devices').flatMap((d) => children(d, name));
}

const domblklist: CommandDef = {
  name: 'domblklist',
  group: 'monitor',
  help: 'list all domain blocks',
  desc: 'Get the summary of block devices for a domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('inactive', 'get inactive rather than running configuration'),
    opt.bool('details', 'additionally display the type and device value'),
  ],
  async run(ctl, cmd) {
    const details = cmd.bool('details');
    const disks = await devices(ctl, cmd, 'disk');
    const table = new Table(details ? ['Type', 'Device', 'Target', 'Source'] : ['Target', 'Source']);
    const doc: Record<string, string | null>[] = [];
    for (const disk of disks) {
      const type = nonEmpty(disk.attrs.type);
      const device = nonEmpty(disk.attrs.device);
      if (details && (!type || !device)) {
        // virsh prints this one on stdout, without a newline, and fails.
        ctl.print('unable to query block list details');
        return false;
      }
      const target = nonEmpty(children(disk, 'target')[0]?.attrs.dev);
      if (!target) {
        ctl.error('unable to query block list');
        return false;
      }
      let source: string | undefined;
      if (type === 'nvme') {
        source = nvmeSource(disk);
        if (!source) {
          ctl.error('Unable to query NVMe disk address');
          return false;
        }
      } else {
        source = sourceAttr(disk, ['file', 'dev', 'dir', 'name', 'volume', 'path']);
      }
      table.add(...(details ? [type ?? '', device ?? '', target, source ?? '-'] : [target, source ?? '-']));
      doc.push({ type: type ?? null, device: device ?? null, target, source: source ?? null });
    }
    ctl.data(doc);
    ctl.print(table.render());
    return true;
  },
};

const domiflist: CommandDef = {
  name: 'domiflist',
  group: 'monitor',
  help: 'list all domain virtual interfaces',
  desc: 'Get the summary of virtual interfaces for a domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.bool('inactive', 'get inactive rather than running configuration'),
  ],
  async run(ctl, cmd) {
    const nics = await devices(ctl, cmd, 'interface');
    const table = new Table(['Interface', 'Type', 'Source', 'Model', 'MAC']);
    const doc: Record<string, string | null>[] = [];
    for (const nic of nics) {
      const row = {
        interface: nonEmpty(children(nic, 'target')[0]?.attrs.dev),
        type: nic.attrs.type ?? '',
        source: sourceAttr(nic, ['bridge', 'dev', 'network', 'name', 'path']),
        model: nonEmpty(children(nic, 'model')[0]?.attrs.type),
        mac: nonEmpty(children(nic, 'mac')[0]?.attrs.address),
      };
      table.add(row.interface ?? '-', row.type, row.source ?? '-', row.model ?? '-', row.mac ?? '-');
      doc.push({
        ...row,
        interface: row.interface ?? null,
        source: row.source ?? null,
        model: row.model ?? null,
        mac: row.mac ?? null,
      });
    }
    ctl.data(doc);
    ctl.print(table.render());
    return true;
  },
};

export const domainDevlistCommands: readonly CommandDef[] = [domblklist, domiflist];
