/**
 * tsvirsh's net-update and net-dhcp-leases on network:///embed, run inside a network namespace
 * (the whole tsvirsh process, `ip netns exec`), next to real `virsh -c test:///default` for the
 * same updates on a network of the same name and addresses: same output, same errors. Each
 * tsvirsh run is a new process, so the running network is also picked up again from its state
 * files every time.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSources } from '../../../tests/cli/run-both.js';
import { deleteNamespace, inNs, newNamespace, SKIP_REASON } from './netns.js';
import { DEFAULT_XML, HAS_VIRSH } from './test-driver-network.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const env = { ...process.env, LC_ALL: 'C', LIBVIRT_DEFAULT_URI: '', TSVIRT_DEFAULT_URI: '' };

function virsh(commands: string) {
  return spawnSync('virsh', ['-c', 'test:///default', commands], { encoding: 'utf8', env });
}

describe.skipIf(SKIP_REASON !== undefined || !HAS_VIRSH)('tsvirsh net-update / net-dhcp-leases in a namespace', () => {
  let ns: string;
  let root: string;
  const tsvirsh = (commands: string) =>
    spawnSync(
      'ip',
      ['netns', 'exec', ns, process.execPath, ...fromSources('cli', ['-c', `network:///embed?root=${root}`, commands])],
      { encoding: 'utf8', env, cwd: REPO },
    );

  beforeAll(() => {
    ns = newNamespace('cli');
    root = mkdtempSync(join(tmpdir(), 'tsvirt-cli-'));
    chmodSync(root, 0o755);
    writeFileSync(join(root, 'default.xml'), DEFAULT_XML);
    const r = tsvirsh(`net-define ${join(root, 'default.xml')}; net-start default`);
    expect(r.stderr).toBe('');
  });
  afterAll(() => {
    if (root) tsvirsh('net-destroy default');
    deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('prints what virsh prints for the same updates, one process per command', () => {
    const H1 = `"<host mac='52:54:00:00:00:01' name='a' ip='192.168.122.10'/>"`;
    const steps = [
      `net-update default add ip-dhcp-host ${H1}`,
      `net-update default add ip-dhcp-host ${H1}`,
      `net-update default add-first ip-dhcp-host "<host mac='52:54:00:00:00:02' name='b' ip='192.168.122.11'/>" --live --config`,
      `net-update default add dns-txt "<txt name='n' value='v'/>" --config`,
      `net-update default add-last dns-host "<host ip='192.168.122.5'><hostname>x</hostname></host>" --live`,
      `net-update default add dns-txt "<txt name='n' value='v'/>" --current --live`,
      `net-update default frob ip-dhcp-host ${H1}`,
      `net-update default add frob ${H1}`,
      `net-update default modify ip-dhcp-range "<range start='192.168.122.2' end='192.168.122.254'/>"`,
      `net-update default add ip-dhcp-host ${H1} --parent-index x`,
      `net-update default delete ip-dhcp-host "<host mac='52:54:00:00:00:09'/>"`,
      `net-update default modify bridge "<bridge name='x'/>"`,
      `net-update default delete ip-dhcp-host "<host mac='52:54:00:00:00:01'/>" --live`,
      `net-update nosuch add ip-dhcp-host ${H1}`,
    ];
    // virsh's test driver forgets between runs: it gets the whole sequence in one process.
    const theirs = virsh(steps.join('; echo ---; '));
    const ours = steps.map((s) => tsvirsh(s));
    const theirOut = theirs.stdout.split('---\n').map((s) => s.trim());
    expect(ours.map((r) => r.stdout.trim())).toEqual(theirOut);
    expect(ours.map((r) => r.stderr).join('')).toBe(theirs.stderr);
  }, 120_000); // 14 tsvirsh processes, on a machine shared with other work

  it("lists DHCP leases in virsh's table", () => {
    const guest = newNamespace('clig');
    try {
      inNs(ns, ['ip', 'link', 'add', 'tsvcport', 'type', 'veth', 'peer', 'name', 'tsvcguest']);
      inNs(ns, ['ip', 'link', 'set', 'tsvcguest', 'netns', guest]);
      inNs(ns, ['ip', 'link', 'set', 'tsvcport', 'master', 'virbr0', 'up']);
      inNs(guest, ['ip', 'link', 'set', 'tsvcguest', 'address', '02:00:00:00:00:99', 'up']);
      inNs(guest, [
        'busybox',
        'udhcpc',
        '-i',
        'tsvcguest',
        '-n',
        '-q',
        '-t',
        '20',
        '-T',
        '1',
        '-s',
        '/bin/true',
        '-x',
        'hostname:leaser',
      ]);
      const r = tsvirsh('net-dhcp-leases default');
      expect(r.stderr).toBe('');
      const lines = r.stdout.split('\n');
      expect(lines[0]).toMatch(
        /^ Expiry Time\s+MAC address\s+Protocol\s+IP address\s+Hostname\s+Client ID or DUID\s*$/,
      );
      expect(lines[1]).toMatch(/^-{80,}$/);
      expect(lines[2]).toMatch(
        /^ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+02:00:00:00:00:99\s+ipv4\s+192\.168\.122\.\d+\/24\s+leaser\s+01:02:00:00:00:00:99\s*$/,
      );
      expect(tsvirsh('net-dhcp-leases default --mac 02:00:00:00:00:98').stdout.split('\n').length).toBe(4);
    } finally {
      deleteNamespace(guest);
    }
  });

  it('creates, lists, dumps and deletes network ports in virsh 9.0 wording', () => {
    const uuid = '5d744f21-ba4a-4d6e-bdb2-30a35ff3207d';
    const file = join(root, 'port.xml');
    writeFileSync(
      file,
      `<networkport><uuid>${uuid}</uuid><owner><name>vm1</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner><mac address='52:54:00:7b:35:93'/></networkport>`,
    );
    const created = tsvirsh(`net-port-create default ${file}`);
    expect([created.stdout, created.stderr, created.status]).toEqual([
      `Network port ${uuid} created from ${file}\n\n`,
      '',
      0,
    ]);
    const again = tsvirsh(`net-port-create default ${file}`);
    // libvirt's VIR_ERR_NETWORK_PORT_EXIST wording wraps the driver's message, words doubled and all.
    expect(again.stderr).toBe(
      `error: Failed to create network from ${file}\nerror: network port Network port with UUID ${uuid} already exists exists already\n`,
    );
    // Each run is a new process: the port comes back from the state files.
    // vshTable: a leading space, the widest cell, two trailing spaces of dashes.
    expect(tsvirsh('net-port-list default').stdout).toBe(` UUID\n${'-'.repeat(39)}\n ${uuid}\n\n`);
    expect(tsvirsh('net-port-list default --uuid').stdout).toBe(`${uuid}\n\n`);
    expect(tsvirsh(`net-port-dumpxml default ${uuid}`).stdout).toBe(`<networkport>
  <uuid>${uuid}</uuid>
  <owner>
    <name>vm1</name>
    <uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid>
  </owner>
  <mac address='52:54:00:7b:35:93'/>
  <plug type='network' bridge='virbr0'/>
</networkport>

`);
    expect(tsvirsh(`net-port-delete default ${uuid}`).stdout).toBe(`Network port ${uuid} deleted\n\n`);
    const gone = tsvirsh(`net-port-dumpxml default ${uuid}`);
    expect([gone.stdout, gone.stderr, gone.status]).toEqual(['\n', `error: failed to get network port '${uuid}'\n`, 0]);
  }, 60_000);
});
