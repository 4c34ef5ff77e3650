/**
 * Parses <interface> (host interfaces) with the checks and wording of libvirt 9.0's
 * virInterfaceDefParseXML, quirks included: a bridge whose stp is neither on nor off loses its
 * delay and enslaved interfaces, and an unreadable MTU gives libvirt's "cause is unknown" error.
 */
import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { childElements, firstChild, parseXml, type XmlElement } from '../adapter.js';
import { attrString } from '../common/attributes.js';
import { invalidAttr, xmlError } from '../common/errors.js';
import {
  BOND_ARP_VALIDATES,
  BOND_MII_CARRIERS,
  BOND_MODES,
  type BondInterfaceDef,
  type BridgeInterfaceDef,
  HOST_INTERFACE_TYPES,
  HOST_LINK_STATES,
  type HostInterfaceDef,
  type HostInterfaceLink,
  type HostInterfaceProtocol,
  type HostInterfaceType,
  INTERFACE_START_MODES,
} from './types.js';

const D = ErrorDomain.INTERFACE;
const X = ErrorDomain.XML;
/** libvirt refuses MTUs above this. */
const MTU_MAX = 100000;
const INT_MAX = 2 ** 31 - 1;

export function parseHostInterfaceXml(xml: string): HostInterfaceDef {
  if (xml === '') {
    // libxml2's wording for a document with no bytes at all.
    throw new VirError({
      code: ErrorCode.XML_DETAIL,
      domain: D,
      detail: '(interface_definition):1: Document is empty\n(null)\n^',
    });
  }
  const root = parseXml(xml, { documentName: 'interface_definition', domain: D });
  if (root.name !== 'interface') {
    throw xmlError(X, `expecting root element of 'interface', not '${root.name}'`);
  }
  return parseHostInterfaceElement(root);
}

/** A top-level <interface> element (as node files hold them). */
export function parseHostInterfaceElement(el: XmlElement): HostInterfaceDef {
  return parseLevel(el, undefined);
}

/** Which interface types may sit inside which: bonds take ethernets, bridges all but bridges. */
function allowedUnder(parent: HostInterfaceType | undefined, type: HostInterfaceType): boolean {
  if (parent === undefined) return true;
  if (parent === 'bond') return type === 'ethernet';
  if (parent === 'bridge') return type !== 'bridge';
  return false;
}

function parseLevel(el: XmlElement, parent: HostInterfaceType | undefined): HostInterfaceDef {
  const typeText = el.attrs.type;
  if (typeText === undefined) throw xmlError(X, `Missing required attribute 'type' in element '${el.name}'`);
  if (!(HOST_INTERFACE_TYPES as readonly string[]).includes(typeText)) throw invalidAttr(el, 'type', typeText, X);
  const type = typeText as HostInterfaceType;
  if (!allowedUnder(parent, type)) throw xmlError(D, `interface has unsupported type '${type}'`);
  const name = el.attrs.name;
  if (name === undefined) throw xmlError(D, 'interface has no name');

  const common = { name, mtu: 0, protocols: [] as HostInterfaceProtocol[] } as {
    name: string;
    mtu: number;
    protocols: HostInterfaceProtocol[];
    startMode?: (typeof INTERFACE_START_MODES)[number];
    link?: HostInterfaceLink;
  };
  if (parent === undefined) {
    const mode = attrString(firstChild(el, 'start'), 'mode');
    if (mode !== undefined) {
      if (!(INTERFACE_START_MODES as readonly string[]).includes(mode)) {
        throw xmlError(D, `unknown interface startmode ${mode}`);
      }
      common.startMode = mode as (typeof INTERFACE_START_MODES)[number];
    }
    common.mtu = parseMtu(el);
    common.protocols = childElements(el, 'protocol').map(parseProtocol);
  }
  if (type !== 'bridge') {
    const link = firstChild(el, 'link');
    if (link) {
      const parsed = parseLink(link);
      if (parsed) common.link = parsed;
    }
  }

  switch (type) {
    case 'ethernet': {
      const mac = attrString(firstChild(el, 'mac'), 'address');
      return mac === undefined ? { type, ...common } : { type, ...common, mac };
    }
    case 'bridge': {
      const bridge = firstChild(el, 'bridge');
      if (!bridge) throw xmlError(D, 'bridge interface misses the bridge element');
      return { type, ...common, ...parseBridge(bridge) };
    }
    case 'bond': {
      const bond = firstChild(el, 'bond');
      if (!bond) throw xmlError(D, 'bond interface misses the bond element');
      return { type, ...common, ...parseBond(bond) };
    }
    case 'vlan': {
      const vlan = firstChild(el, 'vlan');
      if (!vlan) throw xmlError(D, 'vlan interface misses the vlan element');
      const tag = attrString(vlan, 'tag');
      if (tag === undefined) throw xmlError(D, 'vlan interface misses the tag attribute');
      const device = attrString(firstChild(vlan, 'interface'), 'name');
      if (device === undefined) throw xmlError(D, 'vlan interface misses name attribute');
      return { type, ...common, tag, device };
    }
  }
}

/** libvirt reads the MTU without reporting why a value is unreadable: only its generic error. */
function parseMtu(el: XmlElement): number {
  const text = attrString(firstChild(el, 'mtu'), 'size');
  if (text === undefined) return 0;
  if (!/^\s*\+?\d+$/.test(text)) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NONE,
      message: 'An error occurred, but the cause is unknown',
    });
  }
  const mtu = Number(text.trim());
  if (mtu > MTU_MAX) {
    throw xmlError(D, `value of the 'size' attribute of 'mtu' element must be at most ${MTU_MAX}`);
  }
  return mtu;
}

function parseProtocol(el: XmlElement): HostInterfaceProtocol {
  const family = el.attrs.family;
  if (family === undefined) throw xmlError(D, 'protocol misses the family attribute');
  if (family !== 'ipv4' && family !== 'ipv6') throw xmlError(D, `unsupported protocol family '${family}'`);
  const proto: HostInterfaceProtocol = { family, ips: [] };
  const gateway = attrString(firstChild(el, 'route'), 'gateway');
  if (family === 'ipv6' && firstChild(el, 'autoconf')) proto.autoconf = true;
  const dhcp = firstChild(el, 'dhcp');
  if (dhcp) {
    const peer = dhcp.attrs.peerdns;
    if (peer === undefined) proto.dhcp = {};
    else if (peer === 'yes' || peer === 'no') proto.dhcp = { peerDns: peer === 'yes' };
    else throw invalidAttr(dhcp, 'peerdns', peer, X);
  }
  for (const ip of childElements(el, 'ip')) {
    const address = ip.attrs.address;
    // An <ip> without an address is kept by libvirt but never printed: dropped here.
    if (address === undefined) continue;
    proto.ips.push({ address, prefix: parsePrefix(ip) });
  }
  if (gateway !== undefined) proto.gateway = gateway;
  return proto;
}

/** virXMLPropInt with base 0: decimal, 0x hexadecimal or 0-led octal. */
function parsePrefix(ip: XmlElement): number {
  const text = ip.attrs.prefix;
  if (text === undefined) return 0;
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  const digits = m?.[2];
  const magnitude =
    digits === undefined
      ? Number.NaN
      : /^0[xX]/.test(digits)
        ? Number.parseInt(digits.slice(2), 16)
        : digits.length > 1 && digits.startsWith('0')
          ? Number.parseInt(digits, 8)
          : Number(digits);
  const value = m?.[1] === '-' ? -magnitude : magnitude;
  if (!Number.isFinite(value) || value > INT_MAX || value < -INT_MAX - 1) {
    throw new VirError({
      code: ErrorCode.XML_ERROR,
      domain: X,
      detail: `Invalid value for attribute 'prefix' in element 'ip': '${text}'. Expected integer value`,
    });
  }
  return value;
}

function parseLink(el: XmlElement): HostInterfaceLink | undefined {
  const link: HostInterfaceLink = { speed: 0 };
  const state = el.attrs.state;
  if (state !== undefined && state !== '') {
    if (!(HOST_LINK_STATES as readonly string[]).includes(state)) throw invalidAttr(el, 'state', state, X);
    link.state = state as HostInterfaceLink['state'];
  }
  const speed = el.attrs.speed;
  if (speed !== undefined) {
    const n = /^\s*\+?\d+$/.test(speed) ? Number(speed.trim()) : Number.NaN;
    if (!(n <= 0xffffffff)) {
      throw xmlError(
        X,
        `Invalid value for attribute 'speed' in element 'link': '${speed}'. Expected non-negative integer value`,
      );
    }
    link.speed = n;
  }
  return link.speed === 0 && link.state === undefined ? undefined : link;
}

function parseBridge(el: XmlElement): Pick<BridgeInterfaceDef, 'stp' | 'delay' | 'interfaces'> {
  const stp = el.attrs.stp;
  // libvirt reports a bad stp but goes on with an empty bridge: the define succeeds.
  if (stp !== undefined && stp !== 'on' && stp !== 'off') return { interfaces: [] };
  const out: Pick<BridgeInterfaceDef, 'stp' | 'delay' | 'interfaces'> = {
    interfaces: childElements(el, 'interface').map((c) => parseLevel(c, 'bridge')),
  };
  if (stp !== undefined) out.stp = stp === 'on';
  if (el.attrs.delay !== undefined) out.delay = el.attrs.delay;
  return out;
}

/** virXPathInt: undefined when absent or empty, NaN when unreadable. */
function xpathInt(el: XmlElement | undefined, attr: string): number | undefined {
  const text = attrString(el, attr);
  if (text === undefined) return undefined;
  if (!/^\s*[-+]?\d+$/.test(text)) return Number.NaN;
  const n = Number(text.trim());
  return n > INT_MAX || n < -INT_MAX - 1 ? Number.NaN : n;
}

function parseBond(el: XmlElement): Pick<BondInterfaceDef, 'mode' | 'miimon' | 'arpmon' | 'interfaces'> {
  const out: Pick<BondInterfaceDef, 'mode' | 'miimon' | 'arpmon' | 'interfaces'> = { interfaces: [] };
  const mode = attrString(el, 'mode');
  if (mode !== undefined) {
    if (!(BOND_MODES as readonly string[]).includes(mode)) throw xmlError(D, `unknown bonding mode ${mode}`);
    out.mode = mode as BondInterfaceDef['mode'];
  }
  out.interfaces = childElements(el, 'interface').map((c) => parseLevel(c, 'bond'));
  const mii = firstChild(el, 'miimon');
  const arp = firstChild(el, 'arpmon');
  if (mii) {
    const freq = xpathInt(mii, 'freq');
    if (freq === undefined || Number.isNaN(freq)) throw xmlError(D, 'bond interface miimon freq missing or invalid');
    const downDelay = xpathInt(mii, 'downdelay');
    if (Number.isNaN(downDelay)) throw xmlError(D, 'bond interface miimon downdelay invalid');
    const upDelay = xpathInt(mii, 'updelay');
    if (Number.isNaN(upDelay)) throw xmlError(D, 'bond interface miimon updelay invalid');
    const carrier = attrString(mii, 'carrier');
    if (carrier !== undefined && !(BOND_MII_CARRIERS as readonly string[]).includes(carrier)) {
      throw xmlError(D, `unknown mii bonding carrier ${carrier}`);
    }
    out.miimon = { freq, downDelay: downDelay ?? 0, upDelay: upDelay ?? 0 };
    if (carrier !== undefined) out.miimon.carrier = carrier as 'ioctl' | 'netif';
  } else if (arp) {
    const interval = xpathInt(arp, 'interval');
    if (interval === undefined || Number.isNaN(interval)) {
      throw xmlError(D, 'bond interface arpmon interval missing or invalid');
    }
    const target = attrString(arp, 'target');
    if (target === undefined) throw xmlError(D, 'bond interface arpmon target missing');
    const validate = attrString(arp, 'validate');
    if (validate !== undefined && !(BOND_ARP_VALIDATES as readonly string[]).includes(validate)) {
      throw xmlError(D, `unknown arp bonding validate ${validate}`);
    }
    out.arpmon = { interval, target };
    if (validate !== undefined) out.arpmon.validate = validate as 'active' | 'backup' | 'all';
  }
  return out;
}
