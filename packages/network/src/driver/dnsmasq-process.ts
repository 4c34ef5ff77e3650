/**
 * The network's dnsmasq: files written, daemon started (it forks and writes its pid file before
 * the parent exits, so the pid is known when the command returns), stopped by pid.
 */
import { mkdir, readFile } from 'node:fs/promises';
import type { NetworkDef } from '@tsvirt/core';
import { buildDnsmasqConfig } from '../dnsmasq/config.js';
import { addnhostsPath, configPath, hostsfilePath, leasesPath } from '../dnsmasq/paths.js';
import { internalError } from '../errors.js';
import { servesDhcp } from '../model.js';
import { readIfExists, removeFile, writeFileAtomic } from './files.js';
import type { Host } from './host.js';

export interface DnsmasqLocation {
  readonly dnsmasqDir: string;
  readonly pidDir: string;
}

export const pidFilePath = (loc: DnsmasqLocation, name: string): string => `${loc.pidDir}/${name}.pid`;

/** libvirt runs dnsmasq when some address serves DHCP or TFTP, or DNS is not switched off. */
export function needsDnsmasq(def: NetworkDef): boolean {
  if (def.ips.length === 0) return false;
  const dhcpOrTftp = def.ips.some((ip) => servesDhcp(ip) || ip.tftpRoot !== undefined);
  return dhcpOrTftp || def.dns?.enable !== false;
}

export async function writeDnsmasqFiles(def: NetworkDef, loc: DnsmasqLocation): Promise<string> {
  const pidFile = pidFilePath(loc, def.name);
  const files = buildDnsmasqConfig(def, { stateDir: loc.dnsmasqDir, pidFile });
  const conf = configPath(loc.dnsmasqDir, def.name);
  await writeFileAtomic(conf, files.config);
  await writeFileAtomic(hostsfilePath(loc.dnsmasqDir, def.name), files.hostsfile, 0o644);
  await writeFileAtomic(addnhostsPath(loc.dnsmasqDir, def.name), files.addnhosts, 0o644);
  return conf;
}

export async function startDnsmasq(host: Host, def: NetworkDef, loc: DnsmasqLocation): Promise<number> {
  const conf = await writeDnsmasqFiles(def, loc);
  const pidFile = pidFilePath(loc, def.name);
  await mkdir(loc.pidDir, { recursive: true });
  await removeFile(pidFile);
  // libvirt hands leases to its own helper; here dnsmasq keeps them in its lease file.
  await host.run(['dnsmasq', `--conf-file=${conf}`, `--dhcp-leasefile=${leasesPath(loc.dnsmasqDir, def.name)}`]);
  const text = await readIfExists(pidFile);
  const pid = Number.parseInt(text ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) throw internalError(`dnsmasq for network '${def.name}' wrote no pid file`);
  return pid;
}

/** True when `pid` is still the dnsmasq we started with `conf` (pids get reused). */
async function isOurDnsmasq(pid: number, conf: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(`--conf-file=${conf}`);
  } catch {
    return false;
  }
}

export function isDnsmasqRunning(pid: number, def: NetworkDef, loc: DnsmasqLocation): Promise<boolean> {
  return isOurDnsmasq(pid, configPath(loc.dnsmasqDir, def.name));
}

/**
 * Has `pid` finished exiting? Its command line empties before its sockets close, so only a
 * zombie (nobody may reap it here) or a missing process counts: then a new dnsmasq can bind.
 */
async function hasExited(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

export async function stopDnsmasq(pid: number, def: NetworkDef, loc: DnsmasqLocation): Promise<void> {
  const conf = configPath(loc.dnsmasqDir, def.name);
  if (!(await isOurDnsmasq(pid, conf))) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    if (await hasExited(pid)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (await isOurDnsmasq(pid, conf)) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && !(await hasExited(pid)); i++) await new Promise((r) => setTimeout(r, 20));
}

/** The files libvirt removes with a network's definition. */
export async function removeDnsmasqFiles(def: NetworkDef, loc: DnsmasqLocation): Promise<void> {
  for (const p of [
    configPath(loc.dnsmasqDir, def.name),
    hostsfilePath(loc.dnsmasqDir, def.name),
    addnhostsPath(loc.dnsmasqDir, def.name),
    leasesPath(loc.dnsmasqDir, def.name),
    pidFilePath(loc, def.name),
  ]) {
    await removeFile(p);
  }
}
