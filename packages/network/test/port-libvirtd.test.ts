/**
 * Network ports against libvirt's own network driver: a real libvirtd 9.0 (started here as
 * nobody, state in a temp dir; network:///session over its socket) and tsvirsh on
 * network:///embed (in a namespace) get the same commands — a network on a host bridge (which
 * needs no privileges in libvirtd), a port created from XML, listed, dumped, created twice,
 * deleted, looked up again — and must print the same stdout and stderr, byte for byte.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSources } from '../../../tests/cli/run-both.js';
import { deleteNamespace, inNs, newNamespace, SKIP_REASON } from './netns.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const HAS_LIBVIRTD =
  spawnSync('sh', ['-c', 'command -v libvirtd && command -v virsh && command -v setpriv']).status === 0;
const env = { ...process.env, LC_ALL: 'C', LIBVIRT_DEFAULT_URI: '', TSVIRT_DEFAULT_URI: '' };
const PORT_UUID = '5d744f21-ba4a-4d6e-bdb2-30a35ff3207d';

/** One network on a host bridge, a port created, listed, dumped, refused twice, deleted; all undone. */
const PORT_COMMANDS = (dir: string): string =>
  [
    `net-define ${dir}/net.xml`,
    'net-start hb',
    `net-port-create hb ${dir}/port.xml`,
    'net-port-list hb',
    'net-port-list hb --uuid',
    `net-port-dumpxml hb ${PORT_UUID}`,
    'net-dumpxml hb',
    `net-port-create hb ${dir}/port.xml`,
    `net-port-delete hb ${PORT_UUID}`,
    `net-port-dumpxml hb ${PORT_UUID}`,
    'net-port-list hb',
    'net-destroy hb',
    'net-undefine hb',
  ].join('; ');

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(SKIP_REASON !== undefined || !HAS_LIBVIRTD)(
  'network ports: tsvirsh vs virsh on a real libvirtd',
  () => {
    let dir: string;
    let ns: string;
    let daemon: ChildProcess | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tsvirt-lvd-'));
      for (const d of ['run', 'home', 'config', 'cache', 'embed']) mkdirSync(join(dir, d));
      for (const d of ['', 'run', 'home', 'config', 'cache']) chmodSync(join(dir, d), 0o777);
      chmodSync(join(dir, 'embed'), 0o755);
      writeFileSync(
        join(dir, 'libvirtd.conf'),
        `unix_sock_dir = "${dir}/run"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\nlisten_tls = 0\nlisten_tcp = 0\nlog_outputs = "3:file:${dir}/libvirtd.log"\n`,
      );
      writeFileSync(
        join(dir, 'net.xml'),
        "<network><name>hb</name><uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid><forward mode='bridge'/><bridge name='tsvhb0'/></network>\n",
      );
      writeFileSync(
        join(dir, 'port.xml'),
        `<networkport><uuid>${PORT_UUID}</uuid><owner><name>vm1</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner><group>web</group><mac address='52:54:00:7B:35:93'/><rxfilters trustGuest='yes'/></networkport>\n`,
      );
      daemon = spawn(
        'env',
        [
          '-i',
          'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
          `HOME=${dir}/home`,
          `XDG_RUNTIME_DIR=${dir}/run`,
          `XDG_CONFIG_HOME=${dir}/config`,
          `XDG_CACHE_HOME=${dir}/cache`,
          'setpriv',
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          'libvirtd',
          '--config',
          `${dir}/libvirtd.conf`,
          '--pid-file',
          `${dir}/run/libvirtd.pid`,
        ],
        { stdio: 'ignore' },
      );
      await until(() => existsSync(join(dir, 'run/libvirt-sock')));
      ns = newNamespace('lvd');
      inNs(ns, ['ip', 'link', 'add', 'tsvhb0', 'type', 'bridge']);
    });
    afterAll(() => {
      // libvirtd runs as `env`'s child image (exec), so the PID is the daemon's own.
      if (daemon?.pid !== undefined && daemon.exitCode === null) daemon.kill();
      if (ns) deleteNamespace(ns);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('prints the same for net-port-create, -list, -dumpxml, -delete and their refusals', () => {
      const commands = PORT_COMMANDS(dir);
      const theirs = spawnSync('virsh', ['-c', `network:///session?socket=${dir}/run/libvirt-sock`, commands], {
        encoding: 'utf8',
        env,
      });
      const ours = spawnSync(
        'ip',
        [
          'netns',
          'exec',
          ns,
          process.execPath,
          ...fromSources('cli', ['-c', `network:///embed?root=${dir}/embed`, commands]),
        ],
        { encoding: 'utf8', env, cwd: REPO },
      );
      expect(theirs.stdout).toContain(`<plug type='bridge' bridge='tsvhb0'/>`);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.status).toBe(theirs.status);
      expect(readFileSync(join(dir, 'libvirtd.log'), 'utf8')).not.toMatch(/error : .*hb/);
    }, 60_000);

    // The NETWORK_PORT_* procedures both ways: tsvirt's client against libvirtd, and Debian
    // virsh against tsvirtd (in the namespace, serving network:///session from a temp HOME).
    it('prints the same through the wire: tsvirsh → libvirtd and virsh → tsvirtd', async () => {
      const theirs = spawnSync(
        'virsh',
        ['-c', `network:///session?socket=${dir}/run/libvirt-sock`, PORT_COMMANDS(dir)],
        {
          encoding: 'utf8',
          env,
        },
      );
      const tsvirshToLibvirtd = spawnSync(
        process.execPath,
        fromSources('cli', ['-c', `network+unix:///session?socket=${dir}/run/libvirt-sock`, PORT_COMMANDS(dir)]),
        { encoding: 'utf8', env, cwd: REPO },
      );
      expect(theirs.stdout).toContain(`<plug type='bridge' bridge='tsvhb0'/>`);
      expect({ out: tsvirshToLibvirtd.stdout, err: tsvirshToLibvirtd.stderr }).toEqual({
        out: theirs.stdout,
        err: theirs.stderr,
      });

      const tsd = join(dir, 'tsvirtd');
      for (const d of ['', 'run', 'home']) mkdirSync(join(tsd, d), { recursive: true });
      writeFileSync(join(tsd, 'tsvirtd.conf'), `unix_sock_dir = "${tsd}/run"\nlog_outputs = "3:file:${tsd}/log"\n`);
      const tsvirtd = spawn(
        'ip',
        [
          'netns',
          'exec',
          ns,
          process.execPath,
          ...fromSources('daemon', ['--config', `${tsd}/tsvirtd.conf`, '--pid-file', `${tsd}/run/tsvirtd.pid`]),
        ],
        {
          stdio: 'ignore',
          cwd: REPO,
          env: { ...env, HOME: `${tsd}/home`, XDG_RUNTIME_DIR: `${tsd}/run`, XDG_CONFIG_HOME: `${tsd}/home/.config` },
        },
      );
      try {
        await until(() => existsSync(join(tsd, 'run/libvirt-sock')), 30_000);
        const virshToTsvirtd = spawnSync(
          'virsh',
          ['-c', `network:///session?socket=${tsd}/run/libvirt-sock`, PORT_COMMANDS(dir)],
          { encoding: 'utf8', env },
        );
        expect({ out: virshToTsvirtd.stdout, err: virshToTsvirtd.stderr }).toEqual({
          out: theirs.stdout,
          err: theirs.stderr,
        });
      } finally {
        // `ip netns exec` execs node: the PID is tsvirtd's own.
        if (tsvirtd.exitCode === null) tsvirtd.kill();
      }
    }, 120_000);
  },
);
