/** The DNS half of the dnsmasq config: upstream forwarders, local PTR zones, SRV and TXT records. */
import { ErrorCode, type NetworkDef, type NetworkDns } from '@tsvirt/core';
import { ipPrefix, ptrDomain } from '../addr/subnet.js';
import { networkError } from '../errors.js';
import type { DnsSrv } from '../model.js';

/** server= lines; an address with no domain replaces the host's resolv.conf (no-resolv). */
export function forwarderLines(dns: NetworkDns): string[] {
  const lines: string[] = [];
  let ownUpstream = false;
  for (const f of dns.forwarders) {
    const domain = f.domain === undefined ? '' : `/${f.domain}/`;
    // A domain with no address means "answer locally, never forward".
    lines.push(`server=${domain}${f.addr ?? '#'}`);
    if (f.addr !== undefined && f.domain === undefined) ownUpstream = true;
  }
  if (ownUpstream) lines.push('no-resolv');
  return lines;
}

/** local=/ZONE/ for each <ip localPtr='yes'>, so reverse lookups of guests stay local. */
export function localPtrLines(def: NetworkDef): string[] {
  const lines: string[] = [];
  for (const ip of def.ips) {
    if (ip.localPtr !== true) continue;
    const prefix = ipPrefix(ip) ?? 0;
    const zone = ptrDomain(ip.address, prefix);
    if (zone === undefined) {
      const family = ip.address.includes(':') ? 'IPv6' : 'IPv4';
      throw networkError(
        ErrorCode.CONFIG_UNSUPPORTED,
        `PTR domain for ${family} network with prefix ${prefix} cannot be automatically created`,
      );
    }
    lines.push(`local=/${zone}/`);
  }
  return lines;
}

/**
 * srv-host=_SERVICE._PROTO[.DOMAIN][,TARGET[,PORT[,PRIORITY[,WEIGHT]]]]. The fields are
 * positional, so an absent one before a present one is written as its default (port 1).
 */
export function srvLine(srv: DnsSrv): string {
  let line = `srv-host=_${srv.service}._${srv.protocol}`;
  if (srv.domain !== undefined) line += `.${srv.domain}`;
  // No target, or ".", means the service is not offered here: nothing else applies.
  if (srv.target !== undefined && srv.target !== '.') {
    const port = srv.port ?? 0;
    const priority = srv.priority ?? 0;
    const weight = srv.weight ?? 0;
    line += `,${srv.target}`;
    if (port || priority || weight) line += `,${port || 1}`;
    if (priority || weight) line += `,${priority}`;
    if (weight) line += `,${weight}`;
  }
  return line;
}

export function recordLines(dns: NetworkDns): string[] {
  return [...dns.txts.map((t) => `txt-record=${t.name},${t.value}`), ...dns.srvs.map(srvLine)];
}
