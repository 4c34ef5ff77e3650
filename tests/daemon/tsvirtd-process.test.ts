/**
 * tsvirtd as a process: sockets and their modes, pid file, SIGTERM, refusals at start-up,
 * keepalive and --timeout.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeRawPacket,
  encodePacket,
  FrameSplitter,
  KEEPALIVE_PROGRAM,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
  XdrWriter,
} from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTsvirtdDir, spawnTsvirtd, startTsvirtd } from './tsvirtd.js';

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tsvirt-tsvirtd-proc-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Run tsvirtd to completion (for start-up refusals); resolves with its exit code and output. */
function runToExit(args: string[]): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnTsvirtd(args);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output() })));
}

describe('tsvirtd process', () => {
  it('creates libvirt-sock (0600) and libvirt-sock-ro (0666), writes the pid file, and cleans up on SIGTERM', async () => {
    const d = await startTsvirtd();
    try {
      expect(statSync(d.socket).mode & 0o777).toBe(0o600);
      expect(statSync(d.roSocket).mode & 0o777).toBe(0o666);
      expect(statSync(d.socket).isSocket()).toBe(true);
      const pid = Number((await import('node:fs')).readFileSync(d.pidFile, 'utf8').trim());
      expect(pid).toBe(d.child.pid);
      // A second daemon with the same pid file refuses to start.
      const second = await runToExit(['--config', join(d.dir, 'tsvirtd.conf'), '--pid-file', d.pidFile]);
      expect(second.code).toBe(1);
      expect(second.output).toContain(`Failed to acquire pid file '${d.pidFile}': process ${pid} is running`);
      expect(await d.stop()).toBe(0);
      expect(existsSync(d.socket)).toBe(false);
      expect(existsSync(d.roSocket)).toBe(false);
      expect(existsSync(d.pidFile)).toBe(false);
    } finally {
      await d.stop();
      await removeTsvirtdDir(d);
    }
  });

  it('applies unix_sock_rw_perms, unix_sock_ro_perms and unix_sock_group', async () => {
    const d = await startTsvirtd([
      'unix_sock_rw_perms = "0660"',
      'unix_sock_ro_perms = "0644"',
      'unix_sock_group = "65534"',
    ]);
    try {
      expect(statSync(d.socket).mode & 0o777).toBe(0o660);
      expect(statSync(d.roSocket).mode & 0o777).toBe(0o644);
      expect(statSync(d.socket).gid).toBe(65534);
      expect(statSync(d.roSocket).gid).toBe(65534);
    } finally {
      await d.stop();
      await removeTsvirtdDir(d);
    }
  });

  it('refuses auth none on a non-loopback TCP address, and TLS without its certificates', async () => {
    const conf = join(scratch, 'open.conf');
    await writeFile(
      conf,
      `unix_sock_dir = "${scratch}/run"\nlisten_tls = 0\nlisten_tcp = 1\nlisten_addr = "0.0.0.0"\nauth_tcp = "none"\n`,
    );
    const r = await runToExit(['--listen', '--config', conf]);
    expect(r.code).toBe(1);
    expect(r.output).toContain(`refusing auth_tcp = "none" on non-loopback address '0.0.0.0'`);
    const tls = join(scratch, 'tls.conf');
    const files = `ca_file = "${scratch}/nope.pem"\ncert_file = "${scratch}/c.pem"\nkey_file = "${scratch}/k.pem"\n`;
    await writeFile(tls, `unix_sock_dir = "${scratch}/run"\nlisten_tcp = 1\n${files}`);
    const t = await runToExit(['--listen', '--config', tls]);
    expect(t.code).toBe(1);
    expect(t.output).toContain(`Cannot read CA certificate '${scratch}/nope.pem': No such file or directory`);
    // As libvirtd: one of the three files named means all three must be.
    await writeFile(tls, `unix_sock_dir = "${scratch}/run"\nlisten_tcp = 1\nca_file = "${scratch}/nope.pem"\n`);
    const partial = await runToExit(['--listen', '--config', tls]);
    expect(partial.code).toBe(1);
    expect(partial.output).toContain('No server certificate path set to match server key');
    expect(existsSync(`${scratch}/run/libvirt-sock`)).toBe(false);
  });

  it('a missing config file is an error', async () => {
    const r = await runToExit(['--config', join(scratch, 'nope.conf')]);
    expect(r.code).toBe(1);
    expect(r.output).toContain(`Failed to open file '${join(scratch, 'nope.conf')}': No such file or directory`);
  });

  it('--timeout exits when no client has come for that long', async () => {
    const conf = join(scratch, 'idle.conf');
    await writeFile(conf, `unix_sock_dir = "${scratch}/idle"\n`);
    const started = Date.now();
    const r = await runToExit(['--config', conf, '--timeout', '1']);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(existsSync(`${scratch}/idle/libvirt-sock`)).toBe(false);
  });

  it('answers 300 pipelined calls sent in one write, in order (reading is paused and resumed)', async () => {
    const d = await startTsvirtd();
    try {
      const n = 300;
      const frames = Array.from({ length: n }, (_, i) =>
        encodePacket({
          prog: REMOTE_PROGRAM,
          vers: 1,
          proc: 66, // AUTH_LIST
          type: MessageType.CALL,
          serial: i + 1,
          status: MessageStatus.OK,
        }),
      );
      const serials = await new Promise<number[]>((resolve, reject) => {
        const got: number[] = [];
        const splitter = new FrameSplitter();
        const s = netConnect({ path: d.socket }, () => s.write(Buffer.concat(frames)));
        s.on('data', (c: Buffer) => {
          for (const f of splitter.push(new Uint8Array(c))) got.push(decodeRawPacket(f).header.serial);
          if (got.length === n) {
            s.destroy();
            resolve(got);
          }
        });
        s.on('error', reject);
      });
      expect(serials).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    } finally {
      await d.stop();
      await removeTsvirtdDir(d);
    }
  });

  it('pings a client that said it speaks keepalive and drops it when it stops answering', async () => {
    const d = await startTsvirtd(['keepalive_interval = 1', 'keepalive_count = 1']);
    try {
      const seen: string[] = [];
      const closed = await new Promise<boolean>((resolve) => {
        const s = netConnect({ path: d.socket }, () => {
          // CONNECT_SUPPORTS_FEATURE(VIR_DRV_FEATURE_PROGRAM_KEEPALIVE)
          s.write(
            encodePacket(
              {
                prog: REMOTE_PROGRAM,
                vers: 1,
                proc: 60,
                type: MessageType.CALL,
                serial: 1,
                status: MessageStatus.OK,
              },
              new XdrWriter().int(10).finish(),
            ),
          );
        });
        const splitter = new FrameSplitter();
        s.on('data', (c: Buffer) => {
          for (const f of splitter.push(new Uint8Array(c))) {
            const h = decodeRawPacket(f).header;
            seen.push(h.prog === KEEPALIVE_PROGRAM ? `keepalive ${h.proc}` : `reply ${h.proc} ${h.status}`);
          }
        });
        s.on('error', () => {});
        const timer = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 8000);
        s.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      expect(seen[0]).toBe('reply 60 0');
      expect(seen).toContain('keepalive 1');
      expect(closed).toBe(true);
    } finally {
      await d.stop();
      await removeTsvirtdDir(d);
    }
  });
});
