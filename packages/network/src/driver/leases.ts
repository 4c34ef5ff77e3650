/** DHCP leases, read from dnsmasq's lease file (what net-dhcp-leases lists). */

export interface DhcpLeaseEntry {
  /** Seconds since the epoch; 0 for an infinite lease. */
  readonly expiryTime: number;
  /** IPv4 leases: the client's MAC. IPv6 leases name the client by IAID and DUID instead. */
  readonly mac?: string;
  readonly iaid?: string;
  readonly ipAddress: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly hostname?: string;
  readonly clientId?: string;
}

/** dnsmasq's format: "EXPIRY MAC IP HOSTNAME CLIENTID", "*" for an unknown field. */
export function parseDnsmasqLeases(text: string): DhcpLeaseEntry[] {
  const leases: DhcpLeaseEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // "duid ..." lines name the server's DHCPv6 identity, not a lease.
    if (f.length < 4 || f[0] === 'duid') continue;
    const [expiry, macOrIaid, ip, hostname, clientId] = f;
    const v6 = ip!.includes(':');
    leases.push({
      expiryTime: Number(expiry),
      ...(v6 ? { iaid: macOrIaid! } : { mac: macOrIaid! }),
      ipAddress: ip!,
      family: v6 ? 'ipv6' : 'ipv4',
      ...(hostname && hostname !== '*' ? { hostname } : {}),
      ...(clientId && clientId !== '*' ? { clientId } : {}),
    });
  }
  return leases;
}
