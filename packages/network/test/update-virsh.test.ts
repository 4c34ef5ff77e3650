/**
 * net-update's edits of a definition beside libvirt's own: the same sequence of updates runs
 * through real `virsh -c test:///default` (libvirt's test driver uses libvirt's network
 * configuration code) and through applyNetworkUpdate; each step must succeed or fail alike, with
 * the same error text, and the final definitions must match.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatNetworkXml, isVirError, type NetworkDef, parseNetworkXml } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { applyNetworkUpdate } from '../src/update/apply.js';
import { DEFAULT_XML, HAS_VIRSH } from './test-driver-network.js';

/** An inactive network with an IPv4 and an IPv6 address, only the IPv6 one serving DHCP. */
const NET6_XML = `<network>
  <name>net6</name>
  <uuid>0b5b4b0e-5d7c-4c1e-9a57-1f0c1d2e3f40</uuid>
  <forward mode='nat'/>
  <bridge name='virbr6' stp='on' delay='0'/>
  <ip address='192.168.126.1' netmask='255.255.255.0'>
  </ip>
  <ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'>
    <dhcp>
      <range start='2001:db8:ca2:2::100' end='2001:db8:ca2:2::1ff'/>
    </dhcp>
  </ip>
</network>`;

const COMMANDS: Record<string, number> = { modify: 1, delete: 2, add: 3, 'add-last': 3, 'add-first': 4 };
const SECTIONS: Record<string, number> = {
  bridge: 1,
  ip: 3,
  'ip-dhcp-host': 4,
  'ip-dhcp-range': 5,
  'forward-interface': 7,
  portgroup: 9,
  'dns-host': 10,
  'dns-txt': 11,
  'dns-srv': 12,
};

type Step = [command: string, section: string, xml: string, parentIndex?: number];

const STEPS: Step[] = [
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:01' name='a' ip='192.168.122.10'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:01' name='a' ip='192.168.122.10'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:01' ip='192.168.122.11'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:02' name='zz' ip='192.168.122.10'/>"],
  ['add-first', 'ip-dhcp-host', "<host mac='52:54:00:00:00:03' name='b' ip='192.168.122.12'/>", 0],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:04' name='c' ip='192.168.122.13'/>", 3],
  ['add', 'ip-dhcp-host', "<host ip='192.168.122.14'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:05' name='v6' ip='2001:db8::5'/>"],
  ['modify', 'ip-dhcp-host', "<host mac='52:54:00:00:00:01' name='q' ip='192.168.122.20'/>"],
  ['modify', 'ip-dhcp-host', "<host mac='52:54:00:00:00:09' name='zz' ip='192.168.122.99'/>"],
  ['modify', 'ip-dhcp-host', "<host mac='52:54:00:00:00:06' name='b2' ip='192.168.122.20'/>"],
  ['modify', 'ip-dhcp-host', "<host name='nobody' ip='192.168.122.98'/>"],
  ['delete', 'ip-dhcp-host', "<host mac='52:54:00:00:00:09'/>"],
  ['delete', 'ip-dhcp-host', '<host/>'],
  ['delete', 'ip-dhcp-host', "<host mac='52:54:00:00:00:03'/>"],
  ['add', 'ip-dhcp-host', "<range start='192.168.122.2' end='192.168.122.254'/>"],
  ['modify', 'ip-dhcp-range', "<range start='192.168.122.2' end='192.168.122.254'/>"],
  ['add', 'ip-dhcp-range', "<range start='192.168.122.2' end='192.168.122.254'/>"],
  ['add', 'ip-dhcp-range', "<range start='10.0.0.2' end='10.0.0.9'/>"],
  ['delete', 'ip-dhcp-range', "<range start='192.168.122.2' end='192.168.122.254'/>"],
  ['add', 'ip-dhcp-range', "<range start='192.168.122.100' end='192.168.122.150'/>"],
  ['delete', 'ip-dhcp-range', "<range start='192.168.122.2' end='192.168.122.9'/>"],
  ['modify', 'bridge', "<bridge name='x'/>"],
  ['add', 'ip', '<ip/>'],
  ['add', 'dns-host', "<host ip='192.168.122.5'><hostname>x</hostname></host>"],
  ['add', 'dns-host', "<host ip='192.168.122.5'><hostname>y</hostname></host>"],
  ['add', 'dns-host', "<host ip='192.168.122.6'><hostname>y</hostname></host>"],
  ['modify', 'dns-host', "<host ip='192.168.122.6'><hostname>y</hostname></host>"],
  ['delete', 'dns-host', "<host ip='192.168.122.9'><hostname>z</hostname></host>"],
  ['delete', 'dns-host', "<host ip='192.168.122.5'><hostname>x</hostname></host>"],
  ['add', 'dns-txt', "<txt name='n' value='v'/>"],
  ['add', 'dns-txt', "<txt name='n' value='w'/>"],
  ['delete', 'dns-txt', "<txt name='m' value='v'/>"],
  ['add', 'dns-srv', "<srv service='name' protocol='tcp'/>"],
  ['add', 'dns-srv', "<srv service='name' protocol='tcp'/>"],
  ['add', 'dns-srv', "<srv service='ldap' protocol='tcp' target='l.example' port='389'/>"],
  ['delete', 'dns-srv', "<srv service='name' protocol='udp'/>"],
  ['delete', 'dns-srv', "<srv service='name' protocol='tcp'/>"],
  ['add', 'portgroup', "<portgroup name='p' default='yes'/>"],
  ['add', 'portgroup', "<portgroup name='p2' default='yes'/>"],
  ['add', 'portgroup', "<portgroup name='p'/>"],
  ['add-first', 'portgroup', "<portgroup name='p3'><bandwidth><inbound average='100'/></bandwidth></portgroup>"],
  ['modify', 'portgroup', "<portgroup name='p3' default='yes'/>"],
  ['modify', 'portgroup', "<portgroup name='p3'/>"],
  ['delete', 'portgroup', "<portgroup name='q'/>"],
  ['delete', 'portgroup', "<portgroup name='p'/>"],
  ['add', 'forward-interface', "<interface dev='eth9'/>"],
  ['add', 'forward-interface', "<interface dev='eth9'/>"],
  ['add-first', 'forward-interface', "<interface dev='eth7'/>"],
  ['modify', 'forward-interface', "<interface dev='eth8'/>"],
  ['delete', 'forward-interface', "<interface dev='eth8'/>"],
  ['delete', 'forward-interface', "<interface dev='eth7'/>"],
  ['add', 'forward-interface', '<interface/>'],
  ['delete', 'forward-interface', "<interface dev='eth9'/>"],
  ['add', 'dns-host', "<host ip='192.168.122.7'><hostname>p</hostname><hostname>q</hostname></host>"],
  ['add', 'dns-host', "<host ip='192.168.122.8'><hostname>p</hostname><hostname>q</hostname></host>"],
  ['add', 'dns-host', "<host ip='192.168.122.8'><hostname>p</hostname></host>"],
  ['delete', 'dns-host', "<host ip='192.168.122.7'><hostname>p</hostname><hostname>q</hostname></host>"],
  ['add', 'dns-host', "<host ip='192.168.122.9'></host>"],
  ['add', 'dns-txt', "<txt name='bad name' value='v'/>"],
  ['add-first', 'dns-txt', "<txt name='first' value='1'/>"],
  ['add', 'dns-srv', "<srv service='sip' protocol='udp' domain='example.test' target='s.example.test' port='5060'/>"],
  ['add', 'dns-srv', "<srv service='sip' protocol='udp' domain='example.test' target='t.example.test' port='5060'/>"],
  ['delete', 'dns-srv', "<srv service='sip' protocol='udp'/>"],
  ['delete', 'dns-srv', "<srv service='sip' protocol='udp' target='t.example.test'/>"],
  [
    'add',
    'ip-dhcp-host',
    "<host mac='52:54:00:00:00:0a' name='l' ip='192.168.122.30'><lease expiry='1' unit='hours'/></host>",
  ],
  ['add-first', 'ip-dhcp-range', "<range start='192.168.122.40' end='192.168.122.49'/>"],
  ['delete', 'ip-dhcp-range', "<range start='192.168.122.40' end='192.168.122.48'/>"],
  ['add', 'ip-dhcp-range', "<range start='192.168.122.60' end='192.168.122.50'/>"],
  ['modify', 'portgroup', "<portgroup name='p4' default='yes'/>"],
  ['add-first', 'portgroup', "<portgroup name='p5' default='yes'/>"],
  [
    'modify',
    'portgroup',
    "<portgroup name='p5' default='yes'><bandwidth><outbound average='9'/></bandwidth></portgroup>",
  ],
  ['add', 'portgroup', '<portgroup/>'],
];

const NET6_STEPS: Step[] = [
  ['add', 'ip-dhcp-host', "<host id='0:1:0:1:18:aa:62:fe:0:16:3e:44:55:66' name='h6' ip='2001:db8:ca2:2::10'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:01' ip='2001:db8:ca2:2::11'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:01' ip='192.168.126.11'/>"],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:02' ip='192.168.126.12'/>", 0],
  ['add', 'ip-dhcp-range', "<range start='192.168.126.100' end='192.168.126.110'/>", 0],
  ['add', 'ip-dhcp-range', "<range start='2001:db8:ca2:2::300' end='2001:db8:ca2:2::3ff'/>", 0],
  ['add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:03' ip='192.168.126.13'/>"],
  ['add', 'ip-dhcp-host', "<host name='h7' ip='2001:db8:ca2:2::12'/>", 1],
  ['add', 'ip-dhcp-host', "<host id='0:1:0:1:18:aa:62:fe:0:16:3e:44:55:66' ip='2001:db8:ca2:2::13'/>", 1],
  ['delete', 'ip-dhcp-host', "<host name='h6'/>", 1],
  ['modify', 'ip-dhcp-host', "<host name='h7' ip='2001:db8:ca2:2::14'/>", 1],
  ['add', 'ip-dhcp-host', "<host name='h8' ip='2001:db8:ca2:2::15'/>", 2],
];

/** virsh's own quoting, for a command line of several commands separated by ';'. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** What virsh says after each step: "ok" or the error message (without virsh's "error: " prefixes). */
function virshResults(steps: Step[], net = 'default', setup = ''): { results: string[]; finalXml: string } {
  const line = steps
    .map(
      ([c, s, x, p]) =>
        `net-update ${net} ${c} ${s} ${quote(x)}${p === undefined ? '' : ` --parent-index ${p}`}; echo ---`,
    )
    .join('; ');
  const out = spawnSync('virsh', ['-c', 'test:///default', `${setup}${line}; net-dumpxml ${net}`], {
    encoding: 'utf8',
  });
  const errors = `${out.stderr}`.split(`error: Failed to update network ${net}\n`).slice(1);
  // The setup's own output ends with its '---'.
  const chunks = `${out.stdout}`.split('---\n').slice(setup ? 1 : 0);
  let e = 0;
  const results = chunks.slice(0, steps.length).map((c) => {
    if (c.includes(`Updated network ${net}`)) return 'ok';
    const msg = errors[e++] ?? '';
    return msg.replace(/^error: /, '').trim();
  });
  return { results, finalXml: chunks[steps.length]!.trim() };
}

function ourResults(steps: Step[], xml = DEFAULT_XML): { results: string[]; def: NetworkDef } {
  let def = parseNetworkXml(xml);
  const results = steps.map(([c, s, x, p]) => {
    try {
      def = applyNetworkUpdate(def, COMMANDS[c]!, SECTIONS[s]!, p ?? -1, x, { interfaceUse: () => 0 });
      return 'ok';
    } catch (err) {
      if (!isVirError(err)) throw err;
      return err.message.trim();
    }
  });
  return { results, def };
}

describe.skipIf(!HAS_VIRSH)('net-update beside virsh -c test:///default', () => {
  it('accepts and refuses the same updates with the same words, and ends with the same network', () => {
    const theirs = virshResults(STEPS);
    const ours = ourResults(STEPS);
    const rows = STEPS.map((s, i) => ({
      step: s.slice(0, 2).join(' '),
      theirs: theirs.results[i],
      ours: ours.results[i],
    }));
    expect(rows.filter((r) => r.theirs !== r.ours)).toEqual([]);
    expect(formatNetworkXml(ours.def)).toBe(`${theirs.finalXml}\n`);
  });

  it('picks the <ip> as libvirt does: the one serving DHCP, or --parent-index, with IPv6 hosts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-update-virsh-'));
    try {
      writeFileSync(join(dir, 'net6.xml'), NET6_XML);
      const theirs = virshResults(NET6_STEPS, 'net6', `net-define ${join(dir, 'net6.xml')}; echo ---; `);
      const ours = ourResults(NET6_STEPS, NET6_XML);
      const rows = NET6_STEPS.map((s, i) => ({ step: s.join(' '), theirs: theirs.results[i], ours: ours.results[i] }));
      expect(rows.filter((r) => r.theirs !== r.ours)).toEqual([]);
      expect(formatNetworkXml(ours.def, { inactive: true })).toBe(`${theirs.finalXml}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
