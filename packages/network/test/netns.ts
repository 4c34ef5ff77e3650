/** Network namespaces for the driver tests: created, inspected and deleted with real `ip`. */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const IS_ROOT = process.getuid?.() === 0;
const TOOLS = ['ip', 'nft', 'iptables', 'dnsmasq', 'busybox', 'sysctl'];
export const MISSING_TOOLS = TOOLS.filter((t) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', t]).status !== 0);

/** Why the namespace tests cannot run here, or undefined when they can. */
export const SKIP_REASON = !IS_ROOT
  ? 'needs root (network namespaces, bridges, dnsmasq)'
  : MISSING_TOOLS.length > 0
    ? `missing ${MISSING_TOOLS.join(', ')} (scripts/setup.sh installs them)`
    : undefined;

export function run(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function inNs(ns: string, argv: string[]): string {
  return run(['ip', 'netns', 'exec', ns, ...argv]);
}

export function newNamespace(tag: string): string {
  const name = `tsv-${tag}-${randomBytes(3).toString('hex')}`;
  run(['ip', 'netns', 'add', name]);
  inNs(name, ['ip', 'link', 'set', 'lo', 'up']);
  return name;
}

export function deleteNamespace(name: string): void {
  spawnSync('ip', ['netns', 'delete', name]);
}

/** Interface names in a namespace. */
export function links(ns: string): string[] {
  const parsed = JSON.parse(inNs(ns, ['ip', '-j', 'link', 'show'])) as Array<{ ifname: string }>;
  return parsed.map((l) => l.ifname).sort();
}

/** Addresses of one device, as "ADDR/PREFIX". */
export function addresses(ns: string, dev: string): string[] {
  const parsed = JSON.parse(inNs(ns, ['ip', '-j', 'addr', 'show', 'dev', dev])) as Array<{
    addr_info: Array<{ local: string; prefixlen: number }>;
  }>;
  return parsed.flatMap((l) => l.addr_info.map((a) => `${a.local}/${a.prefixlen}`));
}

/** What the firewall holds: nft's ruleset and iptables' rules (both families), without counters. */
export function firewallSnapshot(ns: string): string {
  const nft = inNs(ns, ['nft', 'list', 'ruleset']).replace(/counter packets \d+ bytes \d+/g, 'counter');
  const ipt = ['iptables', 'ip6tables'].map((c) =>
    ['filter', 'nat', 'mangle'].map((t) => inNs(ns, [c, '-w', '-t', t, '-S'])).join(''),
  );
  return [nft, ...ipt].join('\n');
}

/** A process that exists and has not exited (a zombie left for an init that never reaps is dead). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
