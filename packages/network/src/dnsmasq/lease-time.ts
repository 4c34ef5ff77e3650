/** A <lease> as dnsmasq writes a lease time: "infinite", or the number and the unit's first letter. */
import type { DhcpLease } from '../model.js';

export function dnsmasqLeaseTime(lease: DhcpLease | undefined): string | undefined {
  if (!lease) return undefined;
  if (lease.expiry === 0) return 'infinite';
  return `${lease.expiry}${lease.unit[0]}`;
}
