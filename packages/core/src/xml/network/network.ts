/** <network>: top-level parse and format, in libvirt's canonical element order. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { childElements, firstChild, parseXml, type XmlElement } from '../adapter.js';
import { attrString, childAttr, childString, onOff, parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { generateUuid, normalizeUuid } from '../common/uuid.js';
import { a, XmlWriter } from '../writer.js';
import { isMulticastMac, normalizeMac } from './addresses.js';
import { formatBandwidth, parseBandwidth } from './bandwidth.js';
import { formatDns, parseDns } from './dns.js';
import { DNSMASQ_NAMESPACE, formatDnsmasqOptions, parseDnsmasqOptions } from './dnsmasq.js';
import { formatForward, parseForward } from './forward.js';
import { formatNetworkIp, parseNetworkIp } from './ip.js';
import { formatMetadata, parseMetadata } from './metadata.js';
import { formatPortGroup, parsePortGroup } from './portgroup.js';
import { formatRoute, parseRoute } from './route.js';
import { MAC_TABLE_MANAGERS, type MacTableManager, type NetworkDef } from './types.js';
import { checkRouteGateways } from './validate.js';
import { formatVirtualPort, parseVirtualPort } from './virtualport.js';
import { formatVlan, parseVlan } from './vlan.js';

const D = ErrorDomain.NETWORK;
const XE = ErrorCode.XML_ERROR;

export interface FormatNetworkOptions {
  /** VIR_NETWORK_XML_INACTIVE: leave out live-only data (connection counts, PF-derived pools). */
  inactive?: boolean;
}

/** Parse network XML (virsh net-define input) into a NetworkDef. */
export function parseNetworkXml(xml: string): NetworkDef {
  const root = parseXml(xml, { documentName: 'network_definition', domain: ErrorDomain.XML });
  if (root.name !== 'network') {
    throw new VirError({
      code: XE,
      domain: ErrorDomain.XML,
      detail: `expecting root element of 'network', not '${root.name}'`,
    });
  }
  return parseNetworkElement(root);
}

/** Parse an already-parsed <network> element (e.g. inside a test driver's node XML). */
export function parseNetworkElement(root: XmlElement): NetworkDef {
  const name = childString(root, 'name');
  if (name === undefined) throw new VirError({ code: ErrorCode.NO_NAME, domain: D });
  if (name.includes('/')) throw xmlError(D, 'invalid char in name: /', ErrorCode.XML_DETAIL);

  const uuidText = childString(root, 'uuid');
  let uuid: string;
  if (uuidText === undefined) uuid = generateUuid();
  else {
    const u = normalizeUuid(uuidText);
    if (!u) throw xmlError(D, 'malformed uuid element', ErrorCode.INTERNAL_ERROR);
    uuid = u;
  }
  const def: NetworkDef = { name, uuid, ips: [], routes: [], portGroups: [] };

  const title = childString(root, 'title');
  if (title !== undefined) {
    if (title.includes('\n')) throw xmlError(D, "Network title can't contain newlines", XE);
    def.title = title;
  }
  const description = childString(root, 'description');
  if (description !== undefined) def.description = description;

  const ipv6 = attrString(root, 'ipv6');
  if (ipv6 !== undefined) {
    if (ipv6 !== 'yes' && ipv6 !== 'no') throw xmlError(D, `Invalid ipv6 setting '${ipv6}' in network '${name}'`, XE);
    if (ipv6 === 'yes') def.ipv6 = true;
  }
  const trust = parseYesNo(root, 'trustGuestRxFilters', D);
  if (trust !== undefined) def.trustGuestRxFilters = trust;
  const connections = toUnsigned(root.attrs.connections);
  if (connections) def.connections = connections;

  const domainNode = firstChild(root, 'domain');
  const domainName = attrString(domainNode, 'name');
  if (domainName !== undefined) {
    def.domain = { name: domainName };
    const localOnly = parseYesNo(domainNode, 'localOnly', D);
    if (localOnly !== undefined) def.domain.localOnly = localOnly;
    const register = parseYesNo(domainNode, 'register', D);
    if (register !== undefined) def.domain.register = register;
  }

  const bw = firstChild(root, 'bandwidth');
  if (bw) {
    const parsed = parseBandwidth(bw);
    if (parsed) def.bandwidth = parsed;
  }
  const vlan = firstChild(root, 'vlan');
  if (vlan) def.vlan = parseVlan(vlan);
  const isolated = parseYesNo(firstChild(root, 'port'), 'isolated', D);
  if (isolated !== undefined) def.isolatedPort = isolated;

  const bridgeNode = firstChild(root, 'bridge');
  const stpText = childAttr(root, 'bridge', 'stp');
  if (bridgeNode) {
    const bridge: NonNullable<NetworkDef['bridge']> = {};
    const bname = attrString(bridgeNode, 'name');
    if (bname !== undefined) bridge.name = bname;
    const zone = attrString(bridgeNode, 'zone');
    if (zone !== undefined) bridge.zone = zone;
    // Only "off" turns STP off; any other value leaves it on (as libvirt reads it).
    if (stpText !== undefined) bridge.stp = stpText !== 'off';
    const delayText = attrString(bridgeNode, 'delay');
    if (delayText !== undefined) {
      const delay = toUnsigned(delayText);
      if (delay === undefined) throw xmlError(D, `Invalid delay value in network '${name}'`, XE);
      bridge.delay = delay;
    }
    const mtm = attrString(bridgeNode, 'macTableManager');
    if (mtm !== undefined) {
      if (!(MAC_TABLE_MANAGERS as readonly string[]).includes(mtm)) {
        throw xmlError(D, `Invalid macTableManager setting '${mtm}' in network '${name}'`, XE);
      }
      bridge.macTableManager = mtm as MacTableManager;
    }
    def.bridge = bridge;
  }

  const macText = childAttr(root, 'mac', 'address');
  if (macText !== undefined) {
    const mac = normalizeMac(macText);
    if (!mac) throw xmlError(D, `Invalid bridge mac address '${macText}' in network '${name}'`, XE);
    if (isMulticastMac(mac))
      throw xmlError(D, `Invalid multicast bridge mac address '${macText}' in network '${name}'`, XE);
    def.mac = mac;
  }

  const mtuText = childAttr(root, 'mtu', 'size');
  if (mtuText !== undefined) {
    const mtu = toUnsigned(mtuText, 0xffffffff);
    if (mtu === undefined) throw xmlError(D, `Invalid mtu size '${mtuText}' in network '${name}'`, XE);
    if (mtu > 0) def.mtu = mtu;
  }

  const dnsNode = firstChild(root, 'dns');
  if (dnsNode) def.dns = parseDns(dnsNode, name);

  const vp = firstChild(root, 'virtualport');
  if (vp) def.virtualPort = parseVirtualPort(vp, true);

  for (const pg of childElements(root, 'portgroup')) def.portGroups.push(parsePortGroup(pg));
  for (const ip of childElements(root, 'ip')) def.ips.push(parseNetworkIp(ip, name));
  for (const r of childElements(root, 'route')) def.routes.push(parseRoute(r, name));
  checkRouteGateways(def);

  const fwdNode = firstChild(root, 'forward');
  if (fwdNode) def.forward = parseForward(fwdNode, name);
  checkForwardModeSettings(def, stpText !== undefined);

  const md = firstChild(root, 'metadata');
  if (md) def.metadata = parseMetadata(md, [root]);

  const dnsmasq = parseDnsmasqOptions(root);
  if (dnsmasq) def.dnsmasqOptions = dnsmasq;
  return def;
}

/** The parse-time checks libvirt makes between the forward mode and the rest of the definition. */
function checkForwardModeSettings(def: NetworkDef, stpGiven: boolean): void {
  const mode = def.forward?.mode;
  const name = def.name;
  const b = def.bridge ?? {};
  const nifs = def.forward ? def.forward.interfaces.length + def.forward.addresses.length : 0;
  switch (mode) {
    case undefined:
      break;
    case 'route':
    case 'nat':
    case 'open':
      if (def.ips.length === 0) {
        throw xmlError(D, `${mode} forwarding requested, but no IP address provided for network '${name}'`, XE);
      }
      if (nifs > 1) {
        throw xmlError(D, `multiple forwarding interfaces specified for network '${name}', only one is supported`, XE);
      }
      if (mode === 'open' && nifs > 0) {
        throw xmlError(D, `forward dev not allowed for network '${name}' with forward mode='${mode}'`, XE);
      }
      break;
    default: {
      if (mode !== 'bridge') {
        if (b.name !== undefined) throw xmlError(D, `bridge name not allowed in ${mode} mode (network '${name}')`, XE);
        if (b.zone !== undefined) throw xmlError(D, `bridge zone not allowed in ${mode} mode (network '${name}')`, XE);
        if (b.macTableManager !== undefined) {
          throw xmlError(D, `bridge macTableManager setting not allowed in ${mode} mode (network '${name}')`, XE);
        }
      }
      if (b.delay || stpGiven || b.zone !== undefined) {
        throw xmlError(
          D,
          `bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in ${mode} (network '${name}')`,
          XE,
        );
      }
      if (b.name !== undefined && (nifs > 0 || def.forward?.pf !== undefined)) {
        throw xmlError(
          D,
          `A network with forward mode='${mode}' can specify a bridge name or a forward dev, but not both (network '${name}')`,
          XE,
        );
      }
    }
  }
  if (def.mtu !== undefined && mode !== undefined && mode !== 'nat' && mode !== 'route' && mode !== 'open') {
    throw xmlError(
      D,
      `mtu size only allowed in open, route, nat, and isolated mode, not in ${mode} (network '${name}')`,
      XE,
    );
  }
}

/** Format a NetworkDef as libvirt's net-dumpxml does; ends with a newline. */
export function formatNetworkXml(def: NetworkDef, options: FormatNetworkOptions = {}): string {
  const inactive = options.inactive ?? false;
  const w = new XmlWriter();
  w.open(
    'network',
    a('xmlns:dnsmasq', def.dnsmasqOptions?.length ? DNSMASQ_NAMESPACE : undefined) +
      a('connections', !inactive && def.connections ? def.connections : undefined) +
      a('ipv6', def.ipv6 ? 'yes' : undefined) +
      a('trustGuestRxFilters', yesNo(def.trustGuestRxFilters)),
  );
  w.text('name', def.name);
  w.text('uuid', def.uuid);
  w.optText('title', def.title);
  w.optText('description', def.description);
  formatMetadata(w, def.metadata);
  formatForward(w, def.forward, inactive);

  const mode = def.forward?.mode;
  // Networks libvirt puts on its own bridge always show stp/delay.
  const ownBridge = mode === undefined || mode === 'nat' || mode === 'route' || mode === 'open';
  const b = def.bridge ?? {};
  if (ownBridge || b.name !== undefined || b.macTableManager !== undefined) {
    w.empty(
      'bridge',
      a('name', b.name) +
        a('zone', b.zone) +
        a('stp', ownBridge ? onOff(b.stp ?? true) : undefined) +
        a('delay', ownBridge ? (b.delay ?? 0) : undefined) +
        a('macTableManager', b.macTableManager),
    );
  }
  if (def.mtu) w.empty('mtu', a('size', def.mtu));
  if (def.mac) w.empty('mac', a('address', def.mac));
  if (def.domain) {
    w.empty(
      'domain',
      a('name', def.domain.name) +
        a('localOnly', yesNo(def.domain.localOnly)) +
        a('register', yesNo(def.domain.register)),
    );
  }
  formatDns(w, def.dns);
  formatVlan(w, def.vlan);
  formatBandwidth(w, def.bandwidth);
  if (def.isolatedPort !== undefined) w.empty('port', a('isolated', yesNo(def.isolatedPort)));
  for (const ip of def.ips) formatNetworkIp(w, ip);
  for (const r of def.routes) formatRoute(w, r);
  formatVirtualPort(w, def.virtualPort);
  for (const pg of def.portGroups) formatPortGroup(w, pg);
  formatDnsmasqOptions(w, def.dnsmasqOptions);
  w.close('network');
  return w.toString();
}
