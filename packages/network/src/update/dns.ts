/** net-update's dns-host, dns-txt and dns-srv sections: records of the network's <dns>. */
import { type NetworkDef, parseDnsHost, parseDnsSrv, parseDnsTxt, parseIp, type XmlElement } from '@tsvirt/core';
import type { DnsSrv } from '../model.js';
import { invalid, noSupport } from './errors.js';
import { type Command, insert } from './list.js';

type Dns = NonNullable<NetworkDef['dns']>;

function dnsOf(def: NetworkDef): Dns {
  def.dns ??= { forwarders: [], txts: [], srvs: [], hosts: [] };
  return def.dns;
}

/** Indexes of the entries `match` accepts. */
function matching<T>(list: readonly T[], match: (x: T) => boolean): number[] {
  return list.flatMap((x, i) => (match(x) ? [i] : []));
}

export function updateDnsHost(def: NetworkDef, command: Command, node: XmlElement): void {
  const host = parseDnsHost(node, def.name);
  const dns = dnsOf(def);
  if (command === 'modify') throw noSupport('DNS HOST records cannot be modified, only added or deleted');
  // Deleting, a record matches on its address or on any host name it shares; adding, only
  // another record with the same address is in the way (as libvirt behaves).
  const ip = parseIp(host.ip)?.text;
  const sameIp = (h: { ip: string }) => parseIp(h.ip)?.text === ip;
  const found = matching(
    dns.hosts,
    command === 'delete' ? (h) => sameIp(h) || h.hostnames.some((n) => host.hostnames.includes(n)) : sameIp,
  );
  if (command === 'delete') {
    if (found.length === 0) throw invalid(`couldn't locate a matching DNS HOST record in network ${def.name}`);
    if (found.length > 1) throw invalid(`multiple matching DNS HOST records were found in network ${def.name}`);
    dns.hosts.splice(found[0]!, 1);
  } else {
    if (found.length > 0) {
      throw invalid(`there is already at least one DNS HOST record with a matching field in network ${def.name}`);
    }
    insert(dns.hosts, host, command);
  }
}

export function updateDnsTxt(def: NetworkDef, command: Command, node: XmlElement): void {
  const txt = parseDnsTxt(node, def.name);
  const dns = dnsOf(def);
  if (command === 'modify') throw noSupport('DNS TXT records cannot be modified, only added or deleted');
  const i = dns.txts.findIndex((t) => t.name === txt.name);
  if (command === 'delete') {
    if (i < 0) throw invalid(`couldn't locate a matching DNS TXT record in network ${def.name}`);
    dns.txts.splice(i, 1);
  } else {
    if (i >= 0) throw invalid(`there is already a DNS TXT record with name '${txt.name}' in network ${def.name}`);
    insert(dns.txts, txt, command);
  }
}

const SRV_FIELDS = ['service', 'protocol', 'domain', 'target', 'port', 'priority', 'weight'] as const;

export function updateDnsSrv(def: NetworkDef, command: Command, node: XmlElement): void {
  const srv = parseDnsSrv(node, def.name);
  const dns = dnsOf(def);
  if (command === 'modify') throw noSupport('DNS SRV records cannot be modified, only added or deleted');
  // Every field the new record gives must be equal.
  const found = matching(dns.srvs, (s: DnsSrv) => SRV_FIELDS.every((f) => srv[f] === undefined || s[f] === srv[f]));
  if (command === 'delete') {
    if (found.length === 0) throw invalid(`couldn't locate a matching DNS SRV record in network ${def.name}`);
    if (found.length > 1) {
      throw invalid(`multiple DNS SRV records matching all specified fields were found in network ${def.name}`);
    }
    dns.srvs.splice(found[0]!, 1);
  } else {
    if (found.length > 0) {
      throw invalid(
        `there is already at least one DNS SRV record matching all specified fields in network ${def.name}`,
      );
    }
    insert(dns.srvs, srv, command);
  }
}
