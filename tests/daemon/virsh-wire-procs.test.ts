/**
 * Issue 5's procedures from Debian's virsh through tsvirtd on test:///default, compared with the
 * same virsh in-process on libvirt's own test driver. Where tsvirt's test driver implements the
 * API the output must be identical; where it does not (see the README), the call must still reach
 * core through the dispatcher and come back as libvirt's "not supported" error naming the API,
 * never as an RPC error about an unknown procedure.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, NetworkUpdateCommand, NetworkUpdateFlags, NetworkUpdateSection, NetworkXmlFlags } from '@tsvirt/core';
import { driver } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, runVirsh, virshAvailable } from '../cli/run-both.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const hasVirsh = virshAvailable();

const HOST = `"<host mac='52:54:00:00:00:01' ip='192.168.122.45'/>"`;

/**
 * virsh save/managedsave run the call in a job thread and watch it; when the call fails at once,
 * virsh 9.0 now and then never notices (seen in-process on test:///default too: `virsh -r -c
 * test:///default managedsave test` hangs about one run in three). Those runs get a time limit
 * and one retry, so a virsh hang is not taken for a daemon fault.
 */
function virshWithLimit(args: string[], seconds = 10): Promise<RunResult> {
  const once = () =>
    new Promise<RunResult>((resolve, reject) => {
      const child = spawn('timeout', [String(seconds), 'virsh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (x: string) => {
        stdout += x;
      });
      child.stderr.setEncoding('utf8').on('data', (x: string) => {
        stderr += x;
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ stdout, stderr, status }));
    });
  return once().then((r) => (r.status === 124 ? once() : r));
}

describe.skipIf(!hasVirsh)('issue 5 procedures: real virsh through tsvirtd on test:///default', () => {
  let t: Tsvirtd | undefined;
  let work = '';
  const d = (): Tsvirtd => {
    if (!t) throw new Error('tsvirtd did not start');
    return t;
  };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tsvirt-wire-procs-'));
    await writeFile(
      join(work, 'disk.xml'),
      "<disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='vdb' bus='virtio'/></disk>",
    );
    await writeFile(
      join(work, 'other.xml'),
      "<domain type='test'><name>other</name><memory>1024</memory><os><type>hvm</type></os></domain>",
    );
    t = await startTsvirtd();
  });
  afterAll(async () => {
    if (t) {
      await t.stop();
      await removeTsvirtdDir(t);
    }
    await rm(work, { recursive: true, force: true });
  });

  const same: [string, () => string][] = [
    [
      'dommemstat (DOMAIN_MEMORY_STATS): running, after setmem, a domain without a balloon, shut off',
      () =>
        `dommemstat test; setmem test 1000000; dommemstat test; define ${work}/other.xml; start other; dommemstat other; destroy other; undefine other; destroy test; dommemstat test`,
    ],
    ['domcontrol (DOMAIN_GET_CONTROL_INFO): running, shut off', () => 'domcontrol test; destroy test; domcontrol test'],
    [
      'domhostname (DOMAIN_GET_HOSTNAME): running, a source flag, shut off',
      () =>
        'domhostname test; domhostname test --source lease; domhostname test --source agent; destroy test; domhostname test',
    ],
    ['reset (DOMAIN_RESET)', () => 'reset test; domstate test'],
    ['managedsave-remove without an image', () => 'managedsave-remove test'],
    [
      'snapshot-list --from (DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN)',
      () =>
        'snapshot-create-as test s1; snapshot-create-as test s2; snapshot-revert test s1; snapshot-create-as test s3; snapshot-create-as test s4; snapshot-list test --from s1 --name; snapshot-list test --from s1 --descendants --name; snapshot-list test --from s1 --tree; snapshot-list test --from s4 --name; snapshot-list test --from s1 --leaves --name; snapshot-list test --from s1 --descendants --leaves --name; snapshot-list test --from s1 --descendants --no-leaves --name',
    ],
    ['net-dhcp-leases (both test drivers lack it)', () => 'net-dhcp-leases default'],
    [
      'net-update (NETWORK_UPDATE) on the test driver',
      () =>
        `net-update default add ip-dhcp-host ${HOST} --live; net-dumpxml default; net-update default add ip-dhcp-host ${HOST} --live`,
    ],
    ['attach-device / detach-device (both test drivers lack hot-plug)', () => `attach-device test ${work}/disk.xml`],
    ['detach-device', () => `detach-device test ${work}/disk.xml --config`],
    ['domcapabilities (both test drivers lack it)', () => 'domcapabilities'],
    ['qemu-monitor-command on a test domain', () => 'qemu-monitor-command test "{}"'],
    [
      'setmem (DOMAIN_SET_MEMORY[_FLAGS]): live, --config, above the maximum, on a shut-off domain',
      () =>
        'setmem test 1048576; dumpxml test; setmem test 99999999; setmem test 1000 --config; setmem test 1000 --live --config; dumpxml test --inactive; destroy test; setmem test 100; setmem test 100 --live; setmem test 200 --current; dumpxml test',
    ],
    [
      'setmaxmem (DOMAIN_SET_MAX_MEMORY / MEM_MAXIMUM): refused live, --config, shrinking the balloon',
      () =>
        'setmaxmem test 4194304; setmaxmem test 4194304 --live; setmaxmem test 4194304 --config; dumpxml test --inactive; dumpxml test; destroy test; setmaxmem test 1000000; dumpxml test; setmaxmem test 10; dumpxml test',
    ],
    [
      'setvcpus (DOMAIN_SET_VCPUS[_FLAGS]): above the maximum, --maximum, --live --config, shut off',
      () =>
        'setvcpus test 3; setvcpus test 1; dumpxml test; setvcpus test 33; setvcpus test 4 --maximum --config; setvcpus test 4 --maximum; setvcpus test 3 --live --config; setvcpus test 2 --live --config; setvcpus test 3 --config; dumpxml test --inactive; setvcpus test 1 --maximum --config; dumpxml test --inactive; destroy test; setvcpus test 1 --live; setvcpus test 2; dumpxml test',
    ],
    [
      'domrename (DOMAIN_RENAME): running, to itself, with a slash, to a taken name, then for real',
      () =>
        `domrename test t2; destroy test; domrename test test; domrename test a/b; define ${work}/other.xml; domrename test other; domrename test t2; list --all; domstate t2; domstate test; start t2; list --all`,
    ],
  ];
  // APIs both test drivers lack, reached through procedures tsvirt knows only by number
  // (src/protocol/remote-apis.ts): libvirt's "not supported" or read-only refusal, never
  // "unknown procedure".
  const lacking: [string, string][] = [
    ['nodememstats', 'NODE_GET_MEMORY_STATS'],
    ['domjobinfo test', 'DOMAIN_GET_JOB_INFO'],
    ['secret-list', 'CONNECT_NUM_OF_SECRETS'],
    ['nwfilter-list', 'CONNECT_NUM_OF_NWFILTERS'],
    ['pool-capabilities', 'CONNECT_GET_STORAGE_POOL_CAPABILITIES'],
    ['guestinfo test', 'DOMAIN_GET_GUEST_INFO'],
    ['backup-dumpxml test', 'DOMAIN_BACKUP_GET_XML_DESC'],
    ['node-memory-tune', 'NODE_GET_MEMORY_PARAMETERS'],
    ['domdirtyrate-calc test', 'DOMAIN_START_DIRTY_RATE_CALC'],
    ['nodesevinfo', 'NODE_GET_SEV_INFO'],
  ];
  for (const [cmd, proc] of lacking) {
    it(`${cmd} (${proc}, both test drivers lack it)`, async () => {
      const local = await runVirsh(['-c', 'test:///default', cmd]);
      const remote = await runVirsh(['-c', d().unixUri(), cmd]);
      expect(remote).toEqual(local);
      expect(remote.stderr).toMatch(/this function is not supported by the connection driver: vir\w+\n/);
    });
    it(`read-only socket: ${cmd} answers as libvirt's read-only connection`, async () => {
      const local = await runVirsh(['-r', '-c', 'test:///default', cmd]);
      const remote = await runVirsh(['-c', d().roUri(), cmd]);
      expect(remote).toEqual(local);
      expect(remote.stderr).not.toContain('unknown procedure');
    });
  }

  for (const [label, cmd] of same) {
    it(label, async () => {
      const local = await runVirsh(['-c', 'test:///default', cmd()]);
      const remote = await runVirsh(['-c', d().unixUri(), cmd()]);
      expect(remote).toEqual(local);
    });
  }

  // libvirt's test driver makes its counters from the clock: only the shape (fields, errors) compares.
  const sameShape: [string, () => string][] = [
    [
      'domblkstat (DOMAIN_BLOCK_STATS): by target and source path, unknown disk, all disks, shut off',
      () =>
        'domblkstat test vda; domblkstat test /guest/diskimage1 --human; domblkstat test vdz; domblkstat test; destroy test; domblkstat test vda; domblkstat test vdz',
    ],
    [
      'domifstat (DOMAIN_INTERFACE_STATS): by host name and MAC, unknown NIC, shut off',
      () =>
        'domifstat test testnet0; domifstat test AA:BB:CC:DD:EE:FF; domifstat test vnet9; domifstat test 52:54:00:00:00:99; destroy test; domifstat test testnet0',
    ],
  ];
  const shape = (r: RunResult) => ({ ...r, stdout: r.stdout.replace(/\d+/g, 'N') });
  for (const [label, cmd] of sameShape) {
    it(label, async () => {
      const local = await runVirsh(['-c', 'test:///default', cmd()]);
      const remote = await runVirsh(['-c', d().unixUri(), cmd()]);
      expect(shape(remote)).toEqual(shape(local));
      expect(local.stdout).toMatch(/ \d{6,}\n/);
    });
  }

  // Writes refused on read-only connections, before any driver: the same words either way.
  const readOnly: [string, () => string][] = [
    ['domhostname', () => 'domhostname test'],
    ['setmem', () => 'setmem test 1048576'],
    ['setvcpus', () => 'setvcpus test 1'],
    ['domrename', () => 'domrename test t2'],
    ['reset', () => 'reset test'],
    ['attach-device', () => `attach-device test ${work}/disk.xml`],
    ['net-update', () => `net-update default add ip-dhcp-host ${HOST} --live`],
  ];
  for (const [label, cmd] of readOnly) {
    it(`read-only socket: ${label} is refused as libvirt refuses it`, async () => {
      const local = await runVirsh(['-r', '-c', 'test:///default', cmd()]);
      const remote = await runVirsh(['-c', d().roUri(), cmd()]);
      expect(remote).toEqual(local);
      expect(remote.stderr).toMatch(/operation forbidden: read only access prevents vir\w+/);
    });
  }

  it('read-only socket: save and managedsave are refused with libvirt’s words', async () => {
    const save = await virshWithLimit(['-c', d().roUri(), 'save', 'test', `${work}/ro.save`]);
    expect(save).toEqual({
      stdout: '\n',
      stderr: `error: Failed to save domain 'test' to ${work}/ro.save\nerror: operation forbidden: read only access prevents virDomainSave\n`,
      status: 1,
    });
    const managed = await virshWithLimit(['-c', d().roUri(), 'managedsave', 'test']);
    expect(managed).toEqual({
      stdout: '\n',
      stderr:
        "error: Failed to save domain 'test' state\nerror: operation forbidden: read only access prevents virDomainManagedSave\n",
      status: 1,
    });
  });

  // virsh runs save/managedsave in a job thread that now and then misses an immediate failure
  // (see virshWithLimit), so these lines only fail in restore; libvirt-python compares the
  // refusals (packages/driver-test/test/save-restore.test.ts).
  const saving: [string, () => string][] = [
    [
      'managedsave (DOMAIN_MANAGED_SAVE), list --managed-save, start after it, managedsave-remove',
      () =>
        'managedsave test; domstate test --reason; list --all --managed-save; list --all --with-managed-save; start test; domstate test --reason; list --all --managed-save; managedsave-remove test; list --all --with-managed-save',
    ],
    [
      'save / restore (DOMAIN_SAVE, DOMAIN_RESTORE): the image, a missing file, restore twice',
      () =>
        `save test ${work}/t.save; domstate test --reason; restore ${work}/nope.save; restore ${work}/t.save; domstate test --reason; restore ${work}/t.save; list --all`,
    ],
  ];
  for (const [label, cmd] of saving) {
    it(label, async () => {
      const local = await virshWithLimit(['-c', 'test:///default', cmd()]);
      const remote = await virshWithLimit(['-c', d().unixUri(), cmd()]);
      expect(remote).toEqual(local);
      expect(local.status).not.toBe(124);
    });
  }

  describe('net-update and net-dhcp-leases on @tsvirt/network (network:///embed in a temp root)', () => {
    // Only the persistent definition changes (--config on an inactive network): no bridge, no
    // dnsmasq, nothing of the host's networking is touched.
    let root = '';
    const virshUri = () =>
      `network+unix:///system?socket=${d().socket}&name=${encodeURIComponent(`network:///embed?root=${root}`)}`;
    beforeAll(async () => {
      root = join(work, 'netroot');
      await writeFile(
        join(work, 'lab.xml'),
        "<network><name>lab</name><bridge name='tsvwp0'/><ip address='192.168.150.1' netmask='255.255.255.0'><dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp></ip></network>",
      );
    });

    it('virsh: net-update add/delete --config (NETWORK_UPDATE, in libvirt order), net-dhcp-leases', async () => {
      const host = `"<host mac='52:54:00:00:00:01' ip='192.168.150.45'/>"`;
      const run = (cmd: string) => runVirsh(['-c', virshUri(), cmd]);
      expect((await run(`net-define ${work}/lab.xml`)).status).toBe(0);
      expect(await run(`net-update lab add ip-dhcp-host ${host} --config`)).toEqual({
        stdout: 'Updated network lab persistent config\n',
        stderr: '',
        status: 0,
      });
      expect((await run('net-dumpxml lab --inactive')).stdout).toContain(
        "<host mac='52:54:00:00:00:01' ip='192.168.150.45'/>",
      );
      expect((await run(`net-update lab delete ip-dhcp-host ${host} --config`)).status).toBe(0);
      expect((await run('net-dumpxml lab --inactive')).stdout).not.toContain('<host ');
      const again = await run(`net-update lab delete ip-dhcp-host ${host} --config`);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/^error: Failed to update network lab\nerror: /);
      const leases = await run('net-dhcp-leases lab');
      expect(leases.status).toBe(0);
      expect(leases.stdout).toMatch(
        /^ Expiry Time +MAC address +Protocol +IP address +Hostname +Client ID or DUID\n-+\n/,
      );
      expect((await run('net-undefine lab')).status).toBe(0);
    });

    it("tsvirt's client: update and DHCP leases through tsvirtd", async () => {
      const c = await connect(`network+tcp://127.0.0.1:${d().port}/embed?root=${root}`, { drivers: [driver] });
      try {
        const lab = await c.defineNetworkXml(
          "<network><name>lab2</name><bridge name='tsvwp1'/><ip address='192.168.151.1' netmask='255.255.255.0'><dhcp><range start='192.168.151.2' end='192.168.151.254'/></dhcp></ip></network>",
        );
        await lab.update(
          NetworkUpdateCommand.ADD_LAST,
          NetworkUpdateSection.IP_DHCP_HOST,
          -1,
          "<host mac='52:54:00:00:00:02' name='g2' ip='192.168.151.46'/>",
          NetworkUpdateFlags.AFFECT_CONFIG,
        );
        expect(await lab.getXmlDesc(NetworkXmlFlags.INACTIVE)).toContain(
          "<host mac='52:54:00:00:00:02' name='g2' ip='192.168.151.46'/>",
        );
        expect(await lab.getDHCPLeases()).toEqual([]);
        await lab.undefine();
      } finally {
        await c.close();
      }
    });
  });
});
