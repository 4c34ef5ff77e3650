/** The pure generators' refusals, worded as libvirt's network driver words them. */
import { ErrorCode, parseNetworkXml } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { describe, expect, it } from 'vitest';
import { buildDnsmasqConfig, firewallTransactions, runTransactions } from '../src/index.js';

const PATHS = { stateDir: '/state' };
const net = (inner: string, forward = "<forward mode='nat'/>") =>
  parseNetworkXml(`<network><name>n</name>${forward}<bridge name='br9'/>${inner}</network>`);

describe('dnsmasq config refusals', () => {
  it('cannot make a PTR zone off an octet boundary', async () => {
    const def = net("<ip address='10.1.0.1' prefix='20' localPtr='yes'/>");
    await expectVirError(
      Promise.resolve().then(() => buildDnsmasqConfig(def, PATHS)),
      ErrorCode.CONFIG_UNSUPPORTED,
      'PTR domain for IPv4 network with prefix 20 cannot be automatically created',
    );
  });

  it('serves DHCP on one IPv4 address only', async () => {
    const dhcp = (n: number) =>
      `<ip address='10.${n}.0.1' prefix='24'><dhcp><range start='10.${n}.0.2' end='10.${n}.0.9'/></dhcp></ip>`;
    await expectVirError(
      Promise.resolve().then(() => buildDnsmasqConfig(net(dhcp(1) + dhcp(2)), PATHS)),
      ErrorCode.CONFIG_UNSUPPORTED,
      'For IPv4, multiple DHCP definitions cannot be specified.',
    );
  });

  it('writes static-only DHCP, MTU and pid file as libvirt does', () => {
    const def = net(
      "<mtu size='9000'/><ip address='10.3.0.1' prefix='24'><dhcp><host mac='52:54:00:00:00:01' ip='10.3.0.5'/></dhcp></ip>",
    );
    const files = buildDnsmasqConfig(def, { stateDir: '/state', pidFile: '/run/n.pid' });
    expect(files.config).toContain('pid-file=/run/n.pid\nexcept-interface=lo\n');
    expect(files.config).toContain('dhcp-range=10.3.0.1,static\ndhcp-no-override\ndhcp-authoritative\n');
    expect(files.config).not.toContain('dhcp-lease-max');
    expect(files.config).toContain('dhcp-option=option:mtu,9000\n');
    expect(files.hostsfile).toBe('52:54:00:00:00:01,10.3.0.5\n');
  });
});

describe('firewall plan', () => {
  it('adds no rules for an open network and none for a host bridge', () => {
    expect(
      firewallTransactions(net("<ip address='10.4.0.1' prefix='24'/>", "<forward mode='open'/>"), 'nftables'),
    ).toEqual([]);
    const hostBridge = parseNetworkXml("<network><name>h</name><forward mode='bridge'/><bridge name='br0'/></network>");
    expect(firewallTransactions(hostBridge, 'iptables')).toEqual([]);
  });

  it('SNATs to the <nat><address> range with the port range', async () => {
    const def = net(
      "<ip address='10.5.0.1' prefix='24'/>",
      "<forward mode='nat'><nat><address start='203.0.113.10' end='203.0.113.20'/><port start='2000' end='3000'/></nat></forward>",
    );
    const argvs: string[] = [];
    await runTransactions(firewallTransactions(def, 'nftables'), async (argv) => {
      argvs.push(argv.join(' '));
      return '';
    });
    expect(argvs).toContain(
      'nft -ae insert rule ip libvirt_network guest_nat meta l4proto tcp ip saddr 10.5.0.0/24 ip daddr != 10.5.0.0/24 counter snat to 203.0.113.10-203.0.113.20:2000-3000',
    );
  });

  it('undoes the steps it applied when one fails, newest first', async () => {
    const def = net("<ip address='10.6.0.1' prefix='24'/>");
    const ran: string[] = [];
    let inserts = 0;
    const exec = async (argv: readonly string[]) => {
      ran.push(argv.join(' '));
      if (argv.includes('LIBVIRT_FWX') && argv.includes('br9')) {
        if (++inserts === 1) throw new Error('refused');
      }
      return '';
    };
    await expect(runTransactions(firewallTransactions(def, 'iptables'), exec)).rejects.toThrow('refused');
    const failedAt = ran.findIndex((c) => c.includes('--insert LIBVIRT_FWX --in-interface br9'));
    const undo = ran.slice(failedAt + 1);
    // Everything inserted before the failure is deleted again, in reverse order.
    const inserted = ran.slice(0, failedAt).filter((c) => c.includes('--insert LIBVIRT_') && c.includes('br9'));
    expect(undo).toEqual(inserted.reverse().map((c) => c.replace('--insert', '--delete')));
    expect(undo.length).toBeGreaterThan(0);
  });
});
