/**
 * virNetworkUpdate's change to a definition: one element (`xml`) added first or last, deleted,
 * or modified in one section. Works on a copy; the original is never touched, so a refusal
 * changes nothing. Sections libvirt cannot update are refused with its words.
 */
import {
  ErrorCode,
  ErrorDomain,
  formatNetworkXml,
  type NetworkDef,
  parseNetworkXml,
  parseXml,
  type XmlElement,
} from '@tsvirt/core';
import { networkError } from '../errors.js';
import { updateDhcpHost, updateDhcpRange } from './dhcp.js';
import { updateDnsHost, updateDnsSrv, updateDnsTxt } from './dns.js';
import { noSupport } from './errors.js';
import { updateForwardInterface, updatePortGroup } from './forward-portgroup.js';
import { COMMANDS, type Command } from './list.js';

/** Sections by virNetworkUpdateSection number: the element each takes and how it applies. */
interface Section {
  readonly element: string;
  readonly apply?: (
    def: NetworkDef,
    command: Command,
    parentIndex: number,
    node: XmlElement,
    ctx: UpdateContext,
  ) => void;
  /** The name in libvirt's "can't update" message. */
  readonly name: string;
}

export interface UpdateContext {
  /** Guest ports using a forward pool device. */
  readonly interfaceUse: (dev: string) => number;
}

export const SECTIONS: Record<number, Section> = {
  1: { element: 'bridge', name: 'bridge' },
  2: { element: 'domain', name: 'domain' },
  3: { element: 'ip', name: 'ip' },
  4: { element: 'host', name: 'ip-dhcp-host', apply: (d, c, p, n) => updateDhcpHost(d, c, p, n) },
  5: { element: 'range', name: 'ip-dhcp-range', apply: (d, c, p, n) => updateDhcpRange(d, c, p, n) },
  6: { element: 'forward', name: 'forward' },
  7: {
    element: 'interface',
    name: 'forward-interface',
    apply: (d, c, _p, n, ctx) => updateForwardInterface(d, c, n, ctx.interfaceUse),
  },
  8: { element: 'pf', name: 'forward pf' },
  9: { element: 'portgroup', name: 'portgroup', apply: (d, c, _p, n) => updatePortGroup(d, c, n) },
  10: { element: 'host', name: 'dns-host', apply: (d, c, _p, n) => updateDnsHost(d, c, n) },
  11: { element: 'txt', name: 'dns-txt', apply: (d, c, _p, n) => updateDnsTxt(d, c, n) },
  12: { element: 'srv', name: 'dns-srv', apply: (d, c, _p, n) => updateDnsSrv(d, c, n) },
};

export function applyNetworkUpdate(
  def: NetworkDef,
  commandNumber: number,
  sectionNumber: number,
  parentIndex: number,
  xml: string,
  ctx: UpdateContext,
): NetworkDef {
  const section = SECTIONS[sectionNumber];
  if (!section) throw noSupport("can't update unrecognized section of network");
  const node = parseXml(xml, { documentName: 'network_update_xml', domain: ErrorDomain.NETWORK });
  if (!section.apply) throw noSupport(`can't update '${section.name}' section of network '${def.name}'`);
  if (node.name !== section.element) {
    throw networkError(
      ErrorCode.XML_ERROR,
      `unexpected element <${node.name}>, expecting <${section.element}>, while updating network '${def.name}'`,
    );
  }
  const command = COMMANDS[commandNumber];
  if (!command) throw noSupport(`unrecognized network update command code ${commandNumber}`);
  const copy = structuredClone(def);
  section.apply(copy, command, parentIndex, node, ctx);
  // As libvirt copies the result through its XML form: the whole definition is checked again.
  const checked = parseNetworkXml(formatNetworkXml(copy));
  return copy.connections === undefined ? checked : { ...checked, connections: copy.connections };
}
