/**
 * A net-update reaching a running network, as libvirt does it. Static DHCP hosts and DNS hosts
 * live in files of their own: they are written again and dnsmasq re-reads them on SIGHUP (a
 * restart when DHCP is switched on or off). Ranges, TXT and SRV records are in dnsmasq's config
 * file, which it reads only at start (it runs as nobody afterwards): dnsmasq is restarted. A changed forward-device pool replaces the firewall rules. Port groups only matter
 * to ports plugged later.
 */
import type { NetworkDef } from '@tsvirt/core';
import { firewallTransactions } from '../firewall/index.js';
import { runTransactions, runUndo } from '../firewall/run.js';
import { servesDhcp } from '../model.js';
import { isDnsmasqRunning, needsDnsmasq, startDnsmasq, stopDnsmasq, writeDnsmasqFiles } from './dnsmasq-process.js';
import { ownsBridge, type RunState, type StartContext } from './start.js';

const SECTION_DHCP_HOST = 4;
const SECTION_DHCP_RANGE = 5;
const SECTION_DNS_HOST = 10;
/** Sections whose data dnsmasq re-reads on SIGHUP (its hosts files). */
const REREAD_SECTIONS = new Set([SECTION_DHCP_HOST, SECTION_DNS_HOST]);
const SECTION_FORWARD_INTERFACE = 7;
const DNSMASQ_SECTIONS = new Set([SECTION_DHCP_HOST, SECTION_DHCP_RANGE, SECTION_DNS_HOST, 11, 12]);

async function restartDnsmasq(
  before: NetworkDef,
  after: NetworkDef,
  run: RunState,
  ctx: StartContext,
): Promise<RunState> {
  if (run.dnsmasqPid !== undefined) await stopDnsmasq(run.dnsmasqPid, before, ctx.dnsmasq);
  if (!needsDnsmasq(after)) return { ...run, dnsmasqPid: undefined };
  return { ...run, dnsmasqPid: await startDnsmasq(ctx.host, after, ctx.dnsmasq) };
}

export async function applyLiveUpdate(
  before: NetworkDef,
  after: NetworkDef,
  run: RunState,
  section: number,
  ctx: StartContext,
): Promise<RunState> {
  if (!ownsBridge(after)) return run;
  if (DNSMASQ_SECTIONS.has(section)) {
    const pid = run.dnsmasqPid;
    const dhcpBefore = before.ips.some(servesDhcp);
    const dhcpAfter = after.ips.some(servesDhcp);
    if (
      REREAD_SECTIONS.has(section) &&
      pid !== undefined &&
      dhcpBefore === dhcpAfter &&
      (await isDnsmasqRunning(pid, before, ctx.dnsmasq))
    ) {
      await writeDnsmasqFiles(after, ctx.dnsmasq);
      process.kill(pid, 'SIGHUP');
      return run;
    }
    return restartDnsmasq(before, after, run, ctx);
  }
  if (section === SECTION_FORWARD_INTERFACE && after.forward?.mode !== 'open') {
    const exec = (a: readonly string[]) => ctx.host.run(a);
    const firewallUndo = await runTransactions(firewallTransactions(after, ctx.firewallBackend), exec);
    await runUndo(run.firewallUndo ?? [], exec);
    return { ...run, firewallUndo };
  }
  return run;
}
