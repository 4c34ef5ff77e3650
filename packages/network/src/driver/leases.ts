/** DHCP leases, read from dnsmasq's lease file (what net-dhcp-leases lists). */

export interface DhcpLeaseEntry {
  /** Seconds since the epoch; 0 for an infinite lease. */
  readonly expiryTime: number;
  readonly mac: string;
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
    const [expiry, mac, ip, hostname, clientId] = f;
    leases.push({
      expiryTime: Number(expiry),
      mac: mac!,
      ipAddress: ip!,
      family: ip!.includes(':') ? 'ipv6' : 'ipv4',
      ...(hostname && hostname !== '*' ? { hostname } : {}),
      ...(clientId && clientId !== '*' ? { clientId } : {}),
    });
  }
  return leases;
}
