/**
 * <forward>: how a network reaches the outside (nat, route, open, bridge, macvtap modes,
 * hostdev) with its device pool (<interface>, PCI <address>, <pf>), <driver> and <nat> ranges.
 */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements, firstChild } from '../adapter.js';
import { attrString, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { a, attrList, type XmlWriter } from '../writer.js';
import { checkRange, parseIp } from './addresses.js';

export const FORWARD_MODES = ['nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

export const FORWARD_DRIVER_NAMES = ['kvm', 'vfio', 'xen'] as const;
export type ForwardDriverName = (typeof FORWARD_DRIVER_NAMES)[number];

export interface PciAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

export interface ForwardInterface {
  dev: string;
  /** Live only: guests using it. */
  connections?: number;
}

export interface ForwardNat {
  ipv6?: boolean;
  address?: { start: string; end: string };
  port?: { start: number; end: number };
}

export interface NetworkForward {
  mode: ForwardMode;
  /** hostdev mode only; written as managed='yes'/'no'. */
  managed?: boolean;
  driver?: { name?: ForwardDriverName; model?: string };
  /** Device pool by name; the first one is also written as the dev attribute. */
  interfaces: ForwardInterface[];
  /** Device pool by PCI address (hostdev). */
  addresses: PciAddress[];
  /** SR-IOV physical function whose VFs form the pool. */
  pf?: string;
  nat?: ForwardNat;
}

const D = ErrorDomain.NETWORK;
const XE = ErrorCode.XML_ERROR;
const CU = ErrorCode.CONFIG_UNSUPPORTED;

export function parseForward(node: XmlElement, networkName: string): NetworkForward {
  const modeText = attrString(node, 'mode');
  let mode: ForwardMode = 'nat';
  if (modeText !== undefined) {
    if (modeText === 'none' || !(FORWARD_MODES as readonly string[]).includes(modeText)) {
      throw xmlError(D, `unknown forwarding type '${modeText}'`, CU);
    }
    mode = modeText as ForwardMode;
  }
  const fwd: NetworkForward = { mode, interfaces: [], addresses: [] };
  if (node.attrs.managed?.toLowerCase() === 'yes') fwd.managed = true;

  const driver = firstChild(node, 'driver');
  if (driver) {
    const name = attrString(driver, 'name');
    const model = attrString(driver, 'model');
    if (name !== undefined && !(FORWARD_DRIVER_NAMES as readonly string[]).includes(name)) {
      throw xmlError(D, `Unknown forward <driver name='${name}'/> in network ${networkName}`, CU);
    }
    if (name !== undefined || model !== undefined) {
      fwd.driver = {};
      if (name !== undefined) fwd.driver.name = name as ForwardDriverName;
      if (model !== undefined) fwd.driver.model = model;
    }
  }

  const ifNodes = childElements(node, 'interface');
  const addrNodes = childElements(node, 'address');
  const pfNodes = childElements(node, 'pf');
  const natNodes = childElements(node, 'nat');
  if (natNodes.length > 1)
    throw xmlError(D, `Only one <nat> element is allowed in <forward> of network ${networkName}`, XE);
  if (natNodes.length === 1) fwd.nat = parseNat(natNodes[0]!, mode, networkName);

  const dev = attrString(node, 'dev');
  if (dev !== undefined && (addrNodes.length > 0 || pfNodes.length > 0)) {
    throw xmlError(
      D,
      `the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network ${networkName}`,
      XE,
    );
  }

  if (ifNodes.length > 0 || dev !== undefined) {
    if (dev !== undefined) fwd.interfaces.push({ dev });
    ifNodes.forEach((n, i) => {
      const d = attrString(n, 'dev');
      if (d === undefined) {
        throw xmlError(
          D,
          `Missing required dev attribute in <forward> <interface> element of network ${networkName}`,
          XE,
        );
      }
      if (i === 0 && dev !== undefined) {
        // <forward dev='x'> must name the first pool member.
        if (d !== dev) {
          throw xmlError(
            D,
            `<forward dev='${dev}'> must match first <interface dev='${d}'/> in network ${networkName}`,
            XE,
          );
        }
        return;
      }
      if (fwd.interfaces.some((x) => x.dev === d)) {
        throw xmlError(D, `interface '${d}' can only be listed once in network ${networkName}`, XE);
      }
      fwd.interfaces.push({ dev: d });
    });
  } else if (addrNodes.length > 0) {
    for (const n of addrNodes) {
      const type = attrString(n, 'type');
      if (type === undefined) throw xmlError(D, `missing address type in network ${networkName}`, XE);
      if (type !== 'pci') {
        if (type === 'netdev' || type === 'none')
          throw xmlError(D, `unsupported address type '${type}' in network ${networkName}`, XE);
        throw xmlError(D, `unknown address type '${type}' in network ${networkName}`, CU);
      }
      const addr = parsePciAddress(n, D);
      if (fwd.addresses.some((a) => samePci(a, addr))) {
        throw xmlError(D, `PCI device '${pciText(addr)}' can only be listed once in network ${networkName}`, XE);
      }
      fwd.addresses.push(addr);
    }
  } else if (pfNodes.length > 1) {
    throw xmlError(D, `Only one <pf> element is allowed in <forward> of network ${networkName}`, XE);
  } else if (pfNodes.length === 1) {
    const pfDev = attrString(pfNodes[0], 'dev');
    if (pfDev === undefined)
      throw xmlError(D, `Missing required dev attribute in <pf> element of network '${networkName}'`, XE);
    fwd.pf = pfDev;
  }
  return fwd;
}

function parseNat(node: XmlElement, mode: ForwardMode, networkName: string): ForwardNat {
  if (mode !== 'nat') {
    throw xmlError(
      D,
      `The <nat> element can only be used when <forward> 'mode' is 'nat' in network ${networkName}`,
      XE,
    );
  }
  const nat: ForwardNat = {};
  const ipv6 = node.attrs.ipv6;
  if (ipv6 !== undefined) {
    if (ipv6 !== 'yes' && ipv6 !== 'no')
      throw xmlError(D, `Invalid value for attribute 'ipv6' in element 'nat': '${ipv6}'.`, XE);
    nat.ipv6 = ipv6 === 'yes';
  }
  const addrs = childElements(node, 'address');
  if (addrs.length > 1)
    throw xmlError(D, `Only one <address> element is allowed in <nat> in <forward> in network ${networkName}`, XE);
  if (addrs.length === 1) {
    const s = attrString(addrs[0], 'start');
    if (s === undefined)
      throw xmlError(
        D,
        `missing 'start' attribute in <address> element in <nat> in <forward> in network ${networkName}`,
        XE,
      );
    const e = attrString(addrs[0], 'end');
    if (e === undefined)
      throw xmlError(
        D,
        `missing 'end' attribute in <address> element in <nat> in <forward> in network ${networkName}`,
        XE,
      );
    const start = parseIp(s);
    if (!start || start.family !== 4)
      throw xmlError(D, `Bad ipv4 start address '${s}' in <nat> in <forward> in network '${networkName}'`, XE);
    const end = parseIp(e);
    if (!end || end.family !== 4)
      throw xmlError(D, `Bad ipv4 end address '${e}' in <nat> in <forward> in network '${networkName}'`, XE);
    checkRange(start, end);
    nat.address = { start: start.text, end: end.text };
  }
  const ports = childElements(node, 'port');
  if (ports.length > 1)
    throw xmlError(D, `Only one <port> element is allowed in <nat> in <forward> in network ${networkName}`, XE);
  if (ports.length === 1) {
    const start = toUnsigned(ports[0]!.attrs.start, 65535);
    if (start === undefined) {
      throw xmlError(
        D,
        `Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network ${networkName}`,
        ErrorCode.XML_DETAIL,
      );
    }
    const end = toUnsigned(ports[0]!.attrs.end, 65535);
    if (end === undefined || end < start) {
      throw xmlError(
        D,
        `Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network ${networkName}`,
        ErrorCode.XML_DETAIL,
      );
    }
    nat.port = { start, end };
  }
  return nat;
}

// ---------- PCI addresses ----------

const PCI_LIMITS: Record<keyof PciAddress, number> = { domain: 0xffffffff, bus: 0xff, slot: 0x1f, function: 7 };

/** A PCI address attribute set (hex with 0x, octal with 0, or decimal, as strtoul base 0 reads). */
export function parsePciAddress(node: XmlElement, domain: ErrorDomain): PciAddress {
  const out = { domain: 0, bus: 0, slot: 0, function: 0 };
  for (const key of Object.keys(PCI_LIMITS) as Array<keyof PciAddress>) {
    const text = node.attrs[key];
    if (text === undefined) continue;
    const n = cNumber(text);
    if (n === undefined) {
      throw xmlError(domain, `Cannot parse <address> '${key}' attribute`, ErrorCode.INTERNAL_ERROR);
    }
    if (n > PCI_LIMITS[key]) {
      throw xmlError(
        domain,
        `Invalid PCI address ${key}='${text}', must be <= 0x${PCI_LIMITS[key].toString(16).toUpperCase()}`,
        ErrorCode.XML_ERROR,
      );
    }
    out[key] = n;
  }
  return out;
}

function cNumber(text: string): number | undefined {
  const s = text.trim();
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return parseInt(s, 8);
  if (/^[1-9]\d*$/.test(s)) return Number(s);
  return undefined;
}

function samePci(a: PciAddress, b: PciAddress): boolean {
  return a.domain === b.domain && a.bus === b.bus && a.slot === b.slot && a.function === b.function;
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

export function pciText(a: PciAddress): string {
  return `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${a.function.toString(16)}`;
}

export function formatPciAddress(w: XmlWriter, a: PciAddress): void {
  w.empty(
    'address',
    attrList([
      ['type', 'pci'],
      ['domain', `0x${hex(a.domain, 4)}`],
      ['bus', `0x${hex(a.bus, 2)}`],
      ['slot', `0x${hex(a.slot, 2)}`],
      ['function', `0x${a.function}`],
    ]),
  );
}

// ---------- formatting ----------

export function formatForward(w: XmlWriter, fwd: NetworkForward | undefined, inactive: boolean): void {
  if (!fwd) return;
  const dev = fwd.pf === undefined ? fwd.interfaces[0]?.dev : undefined;
  const nat = fwd.nat;
  const hasNat = !!nat && (nat.address !== undefined || nat.port !== undefined || nat.ipv6 !== undefined);
  const hasDriver = !!fwd.driver && (fwd.driver.name !== undefined || fwd.driver.model !== undefined);
  const attrs: Array<[string, string | undefined]> = [
    ['dev', dev],
    ['mode', fwd.mode],
    ['managed', fwd.mode === 'hostdev' ? (fwd.managed ? 'yes' : 'no') : undefined],
  ];
  const short =
    fwd.interfaces.length === 0 && fwd.addresses.length === 0 && fwd.pf === undefined && !hasDriver && !hasNat;
  if (short) {
    w.empty('forward', attrList(attrs));
    return;
  }
  w.open('forward', attrList(attrs));
  if (hasDriver) w.empty('driver', a('name', fwd.driver!.name) + a('model', fwd.driver!.model));
  if (fwd.mode === 'nat' && hasNat) formatNat(w, nat!);
  if (fwd.pf !== undefined) w.empty('pf', a('dev', fwd.pf));
  // With a PF, the pool is filled in at run time: only live XML lists it.
  if (fwd.pf === undefined || !inactive) {
    for (const i of fwd.interfaces) {
      w.empty('interface', a('dev', i.dev) + a('connections', !inactive && i.connections ? i.connections : undefined));
    }
    for (const a of fwd.addresses) formatPciAddress(w, a);
  }
  w.close('forward');
}

function formatNat(w: XmlWriter, nat: ForwardNat): void {
  const attrs: Array<[string, string | undefined]> = [['ipv6', yesNo(nat.ipv6)]];
  if (!nat.address && !nat.port) {
    w.empty('nat', attrList(attrs));
    return;
  }
  w.open('nat', attrList(attrs));
  if (nat.address) w.empty('address', a('start', nat.address.start) + a('end', nat.address.end));
  if (nat.port) w.empty('port', a('start', nat.port.start) + a('end', nat.port.end || undefined));
  w.close('nat');
}
