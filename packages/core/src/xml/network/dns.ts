/** <dns>: forwarders, TXT, SRV and host records served by the network's DNS server. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements, textOf } from '../adapter.js';
import { attrString, parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { a, attrList, type XmlWriter } from '../writer.js';
import { parseIp } from './addresses.js';

export interface DnsForwarder {
  domain?: string;
  addr?: string;
}
export interface DnsTxt {
  name: string;
  value: string;
}
export interface DnsSrv {
  service: string;
  protocol: string;
  domain?: string;
  target?: string;
  port?: number;
  priority?: number;
  weight?: number;
}
export interface DnsHost {
  ip: string;
  hostnames: string[];
}

export interface NetworkDns {
  enable?: boolean;
  forwardPlainNames?: boolean;
  forwarders: DnsForwarder[];
  txts: DnsTxt[];
  srvs: DnsSrv[];
  hosts: DnsHost[];
}

const D = ErrorDomain.NETWORK;
const XE = ErrorCode.XML_ERROR;
const XD = ErrorCode.XML_DETAIL;
const SERVICE_RE = /^[A-Za-z0-9_\-+/*]*$/;
const PROTOCOL_RE = /^[A-Za-z0-9\-+/]*$/;
/** dnsmasq's limit on an SRV service name. */
const SRV_SERVICE_MAX = 15;

export function parseDns(node: XmlElement, networkName: string): NetworkDns {
  const dns: NetworkDns = { forwarders: [], txts: [], srvs: [], hosts: [] };
  const enable = parseYesNo(node, 'enable', D);
  if (enable !== undefined) dns.enable = enable;
  const fpn = parseYesNo(node, 'forwardPlainNames', D);
  if (fpn !== undefined) dns.forwardPlainNames = fpn;

  for (const f of childElements(node, 'forwarder')) {
    const addrText = attrString(f, 'addr');
    const fwd: DnsForwarder = {};
    const domain = attrString(f, 'domain');
    if (domain !== undefined) fwd.domain = domain;
    if (addrText !== undefined) {
      const addr = parseIp(addrText);
      if (!addr) throw xmlError(D, `Invalid forwarder IP address '${addrText}' in network '${networkName}'`, XE);
      fwd.addr = addr.text;
    }
    if (fwd.addr === undefined && fwd.domain === undefined) {
      throw xmlError(D, 'Invalid forwarder element, must contain at least one of addr or domain', XE);
    }
    dns.forwarders.push(fwd);
  }
  for (const h of childElements(node, 'host')) dns.hosts.push(parseDnsHost(h, networkName));
  for (const s of childElements(node, 'srv')) dns.srvs.push(parseDnsSrv(s, networkName));
  for (const t of childElements(node, 'txt')) dns.txts.push(parseDnsTxt(t, networkName));

  if (dns.enable === false && (dns.forwarders.length || dns.hosts.length || dns.srvs.length || dns.txts.length)) {
    throw xmlError(D, `Extra data in disabled network '${networkName}'`, XE);
  }
  return dns;
}

export function parseDnsHost(node: XmlElement, networkName: string): DnsHost {
  const hostnames: string[] = [];
  for (const h of childElements(node, 'hostname')) {
    const name = textOf(h);
    if (name === '') throw xmlError(D, `Missing hostname in network '${networkName}' DNS HOST record`, XD);
    hostnames.push(name);
  }
  if (hostnames.length === 0) throw xmlError(D, `Missing hostname in network '${networkName}' DNS HOST record`, XD);
  const ipText = attrString(node, 'ip');
  if (ipText === undefined) throw xmlError(D, `Missing IP address in network '${networkName}' DNS HOST record`, XD);
  const ip = parseIp(ipText);
  if (!ip) throw xmlError(D, `Invalid IP address in network '${networkName}' DNS HOST record`, XD);
  return { ip: ip.text, hostnames };
}

export function parseDnsSrv(node: XmlElement, networkName: string): DnsSrv {
  const service = attrString(node, 'service');
  if (service === undefined) {
    throw xmlError(D, `missing required service attribute in DNS SRV record of network '${networkName}'`, XD);
  }
  if (service.length > SRV_SERVICE_MAX) {
    throw xmlError(
      D,
      `service attribute '${service}' in network '${networkName}' is too long, limit is ${SRV_SERVICE_MAX} bytes`,
      XD,
    );
  }
  if (!SERVICE_RE.test(service)) {
    throw xmlError(
      D,
      `invalid character in service attribute '${service}' in DNS SRV record of network '${networkName}'`,
      XD,
    );
  }
  const protocol = attrString(node, 'protocol');
  if (protocol === undefined) {
    throw xmlError(
      D,
      `missing required protocol attribute in DNS SRV record '${service}' of network '${networkName}'`,
      XD,
    );
  }
  if (!PROTOCOL_RE.test(protocol)) {
    throw xmlError(
      D,
      `invalid character in protocol attribute '${protocol}' in DNS SRV record of network '${networkName}'`,
      XD,
    );
  }
  const srv: DnsSrv = { service, protocol };
  const domain = attrString(node, 'domain');
  if (domain !== undefined) srv.domain = domain;
  const target = attrString(node, 'target');
  if (target !== undefined) srv.target = target;
  const num = (attr: 'port' | 'priority' | 'weight', min: number, invalidWord: string): void => {
    const text = node.attrs[attr];
    if (text === undefined) return;
    if (target === undefined) {
      throw xmlError(
        D,
        `DNS SRV ${attr} attribute not permitted without target for service '${service}' in network '${networkName}'`,
        XD,
      );
    }
    const n = toUnsigned(text, 0xffffffff);
    if (n === undefined || n < min || n > 65535) {
      throw xmlError(
        D,
        `${invalidWord} DNS SRV ${attr} attribute for service '${service}' in network '${networkName}'`,
        XD,
      );
    }
    srv[attr] = n;
  };
  num('port', 1, 'invalid');
  num('priority', 0, 'Invalid');
  num('weight', 0, 'invalid');
  return srv;
}

export function parseDnsTxt(node: XmlElement, networkName: string): DnsTxt {
  const name = attrString(node, 'name');
  if (name === undefined)
    throw xmlError(D, `missing required name attribute in DNS TXT record of network ${networkName}`, XD);
  if (/[ ,]/.test(name)) {
    throw xmlError(D, `prohibited character in DNS TXT record name '${name}' of network ${networkName}`, XD);
  }
  const value = attrString(node, 'value');
  if (value === undefined) {
    throw xmlError(
      D,
      `missing required value attribute in DNS TXT record named '${name}' of network ${networkName}`,
      XD,
    );
  }
  return { name, value };
}

export function formatDns(w: XmlWriter, dns: NetworkDns | undefined): void {
  if (!dns) return;
  const hasRecords = dns.forwarders.length > 0 || dns.txts.length > 0 || dns.srvs.length > 0 || dns.hosts.length > 0;
  if (dns.enable === undefined && dns.forwardPlainNames === undefined && !hasRecords) return;
  const attrs: Array<[string, string | undefined]> = [
    ['enable', yesNo(dns.enable)],
    ['forwardPlainNames', yesNo(dns.forwardPlainNames)],
  ];
  if (!hasRecords) {
    w.empty('dns', attrList(attrs));
    return;
  }
  w.open('dns', attrList(attrs));
  for (const f of dns.forwarders) w.empty('forwarder', a('domain', f.domain) + a('addr', f.addr));
  for (const t of dns.txts) w.empty('txt', a('name', t.name) + a('value', t.value));
  for (const s of dns.srvs) {
    w.empty(
      'srv',
      a('service', s.service) +
        a('protocol', s.protocol) +
        a('domain', s.domain) +
        a('target', s.target) +
        a('port', s.port || undefined) +
        a('priority', s.priority || undefined) +
        a('weight', s.weight || undefined),
    );
  }
  for (const h of dns.hosts) {
    w.open('host', a('ip', h.ip));
    for (const n of h.hostnames) w.text('hostname', n);
    w.close('host');
  }
  w.close('dns');
}
