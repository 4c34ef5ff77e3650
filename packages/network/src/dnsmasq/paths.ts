/** Where a network's dnsmasq files live. */
import { escapeXml } from '@tsvirt/core';

export interface DnsmasqPaths {
  /** Directory of NAME.conf, NAME.hostsfile, NAME.addnhosts (libvirt: /var/lib/libvirt/dnsmasq). */
  readonly stateDir: string;
  /** Written as pid-file= when given; libvirt's conf test passes none. */
  readonly pidFile?: string;
}

/*
 * libvirt builds these names with its XML-escaping buffer call, so a network named a"b gets
 * a&quot;b.hostsfile. Kept as-is: the files must be where libvirt's own tools would look.
 */
function fileFor(stateDir: string, networkName: string, suffix: string): string {
  return `${stateDir}/${escapeXml(networkName)}.${suffix}`;
}

export function hostsfilePath(stateDir: string, networkName: string): string {
  return fileFor(stateDir, networkName, 'hostsfile');
}

export function addnhostsPath(stateDir: string, networkName: string): string {
  return fileFor(stateDir, networkName, 'addnhosts');
}

export function configPath(stateDir: string, networkName: string): string {
  return `${stateDir}/${networkName}.conf`;
}

export function leasesPath(stateDir: string, networkName: string): string {
  return `${stateDir}/${networkName}.leases`;
}
