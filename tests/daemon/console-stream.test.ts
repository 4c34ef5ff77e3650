/**
 * Issue 5 (streams): a real QEMU guest's serial console over libvirt's stream protocol.
 * - tsvirt's client → tsvirtd (qemu:///session in a temp HOME): runs a shell command in the guest;
 * - Debian's virsh `console` and tsvirsh `console` → tsvirtd, under a pty made by util-linux `script`;
 * - tsvirt's client → the real libvirtd (qemu:///session as nobody) → a guest libvirtd started;
 * - the guest killed while a console is open: the stream ends (end of stream), no hang;
 * - a client that drops its socket mid-stream: tsvirtd keeps serving, the console opens again.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connection, connect, ErrorCode, ErrorDomain } from '@tsvirt/core';
import { driver, MessageStatus, MessageType, Procedures, type RemoteConnection } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyAll, guestXml, runOnConsole, type TestGuest, testGuest } from '../qemu/guest.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from '../remote/libvirtd.js';
import { StreamProbe } from './stream-probe.js';
import { removeTsvirtdDir, startTsvirtd, type Tsvirtd } from './tsvirtd.js';

const guest = testGuest();
const noGuest = typeof guest === 'string' ? guest : undefined;
const noLibvirtd = libvirtdUnavailable();
const VIRSH = '/usr/bin/virsh';
const TSVIRSH = fileURLToPath(new URL('../../bin/tsvirsh-dev', import.meta.url));
const noScript = existsSync('/usr/bin/script') ? undefined : 'no util-linux script';
const noVirsh = !existsSync(VIRSH)
  ? 'virsh is not installed'
  : !existsSync('/usr/bin/script')
    ? 'no util-linux script'
    : undefined;

/** Open the console, kill the guest, and say how the reader saw the stream end (within 15 s). */
async function consoleEndOnGuestDeath(conn: Connection, name: string): Promise<{ ended: boolean; failure?: Error }> {
  const dom = await conn.lookupDomainByName(name);
  const c = await dom.openConsole();
  let failure: Error | undefined;
  let ended = false;
  const reader = (async () => {
    try {
      for await (const _ of c.output) {
        // drain
      }
      ended = true;
    } catch (err) {
      failure = err as Error;
    }
  })();
  await new Promise((r) => setTimeout(r, 1500));
  await dom.destroy();
  await Promise.race([reader, new Promise((_, reject) => setTimeout(() => reject(new Error('console hung')), 15_000))]);
  await c.close();
  return { ended, failure };
}

/** VIR_DOMAIN_CONSOLE_FORCE: take the console over from another session. */
const CONSOLE_FORCE = 1;

/**
 * Hand-made stream packets on an open console, run against tsvirtd and the real libvirtd alike,
 * so every expectation is libvirtd's own behaviour.
 */
function handMadePackets(daemon: string, port: () => number, name: string): void {
  describe(`hand-made stream packets on an open console (${daemon})`, () => {
    const STREAM = MessageType.STREAM;
    const text = (p: { payload: Uint8Array }) => Buffer.from(p.payload).toString('latin1');
    let probe: StreamProbe;
    let serial: number;
    beforeAll(async () => {
      probe = await StreamProbe.open(port());
      serial = await probe.openConsole('qemu:///session', name);
    });
    afterAll(() => probe?.close());

    it('CONTINUE data reaches the guest and its output comes back as CONTINUE packets of the call serial', async () => {
      let seen: unknown;
      for (let i = 0; i < 20 && !seen; i++) {
        const from = probe.seen.length;
        probe.sendStream(serial, MessageStatus.CONTINUE, Buffer.from('echo raw-$((7*8))\n'));
        seen = await probe.waitFor(
          (p) => p.type === STREAM && p.serial === serial && text(p).includes('raw-56'),
          from,
          2000,
        );
      }
      expect(seen).toMatchObject({ status: MessageStatus.CONTINUE, proc: 201 });
    }, 60_000);

    it('stream packets for no open stream (an unknown serial, even 1 MiB of them) are ignored', async () => {
      const from = probe.seen.length;
      probe.sendStream(999_999, MessageStatus.CONTINUE, new Uint8Array(1024 * 1024));
      probe.sendStream(999_998, MessageStatus.OK);
      probe.sendStream(999_997, MessageStatus.ERROR);
      const r = await probe.call(Procedures.CONNECT_GET_TYPE, undefined);
      expect(r.status).toBe(MessageStatus.OK);
      expect(probe.seen.slice(from).filter((p) => p.serial >= 999_997)).toEqual([]);
      expect(probe.closed).toBe(false);
    });

    it('a finish (empty OK) is confirmed with an empty OK, and the daemon keeps serving', async () => {
      const from = probe.seen.length;
      probe.sendStream(serial, MessageStatus.OK);
      const ok = await probe.waitFor((p) => p.serial === serial && p.status !== MessageStatus.CONTINUE, from);
      expect(ok).toMatchObject({ type: STREAM, status: MessageStatus.OK });
      expect(ok?.payload.byteLength).toBe(0);
      expect((await probe.call(Procedures.CONNECT_GET_TYPE, undefined)).status).toBe(MessageStatus.OK);
    });

    // libvirtd allows one console session per guest: the probes below take it over (FORCE).
    it("an unknown status aborts the stream with libvirt's error; later packets for it are ignored", async () => {
      const other = await StreamProbe.open(port());
      try {
        const s2 = await other.openConsole('qemu:///session', name, CONSOLE_FORCE);
        const from = other.seen.length;
        other.sendStream(s2, 7);
        const err = await other.waitFor((p) => p.serial === s2 && p.status === MessageStatus.ERROR, from);
        expect(err).toMatchObject({ type: STREAM, proc: 201 });
        expect(err?.error).toEqual({
          code: ErrorCode.RPC,
          domain: ErrorDomain.STREAMS,
          message: 'stream aborted with unexpected status 7',
        });
        other.sendStream(s2, MessageStatus.CONTINUE, Buffer.from('x'));
        expect((await other.call(Procedures.CONNECT_GET_TYPE, undefined)).status).toBe(MessageStatus.OK);
      } finally {
        other.close();
      }
    });

    it('a hole on a stream that is not sparse drops the client, as libvirtd does', async () => {
      const other = await StreamProbe.open(port());
      const s2 = await other.openConsole('qemu:///session', name, CONSOLE_FORCE);
      other.sendStream(s2, MessageStatus.CONTINUE, new Uint8Array(12), 6);
      await other.waitFor(() => false, 0, 2000);
      expect(other.closed).toBe(true);
    });

    it('an abort (ERROR, no body) is confirmed with an empty OK', async () => {
      const other = await StreamProbe.open(port());
      try {
        const s2 = await other.openConsole('qemu:///session', name, CONSOLE_FORCE);
        const from = other.seen.length;
        other.sendStream(s2, MessageStatus.ERROR);
        const ok = await other.waitFor((p) => p.serial === s2 && p.status !== MessageStatus.CONTINUE, from);
        expect(ok).toMatchObject({ type: STREAM, status: MessageStatus.OK, proc: 201 });
        expect(ok?.payload.byteLength).toBe(0);
      } finally {
        other.close();
      }
    });
  });
}

/** The remote driver behind a core Connection (for the RPC-level checks). */
const remoteOf = (c: Connection) => (c as unknown as { driver: RemoteConnection }).driver;

describe.skipIf(noGuest)('console streams through tsvirtd on a real guest', () => {
  let t: Tsvirtd;
  let root: string;
  let uri: string;
  let conn: Connection;
  beforeAll(async () => {
    // qemu:///session of a tsvirtd whose HOME and XDG directories are in a temp dir (virsh
    // refuses qemu:///embed over a remote transport).
    root = await mkdtemp(join(tmpdir(), 'tsvirt-streams-'));
    t = await startTsvirtd([], undefined, {
      HOME: root,
      XDG_RUNTIME_DIR: join(root, 'run'),
      XDG_CONFIG_HOME: join(root, 'config'),
      XDG_CACHE_HOME: join(root, 'cache'),
    });
    uri = `qemu+unix:///session?socket=${t.socket}`;
    conn = await connect(uri, { drivers: [driver] });
    await conn.createDomainXml(guestXml(guest as TestGuest, 'streamed'));
  }, 60_000);
  afterAll(async () => {
    if (conn) {
      await destroyAll(conn);
      await conn.close();
    }
    if (t) {
      expect(await t.stop()).toBe(0);
      await removeTsvirtdDir(t);
    }
    await rm(root, { recursive: true, force: true });
  });

  it("tsvirt's client opens the console, runs a command in the guest and sees its output", async () => {
    const dom = await conn.lookupDomainByName('streamed');
    const out = await runOnConsole(dom, 'echo wire-$((6*7))', 'wire-42', { retries: 40 });
    expect(out).toContain('wire-42');
    // Finishing the stream released it on both sides.
    expect(remoteOf(conn).rpc.openStreams).toBe(0);
  }, 120_000);

  for (const [tool, program, skip] of [
    ['Debian virsh', VIRSH, noVirsh],
    ['tsvirsh', TSVIRSH, noScript],
  ] as const) {
    it.skipIf(skip)(
      `${tool}'s console reaches the guest's shell through tsvirtd`,
      async () => {
        const child = spawn('script', ['-qec', `${program} -c '${uri}' console streamed`, '/dev/null'], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        const seen = async (text: string, from: number, ms: number) => {
          for (const end = Date.now() + ms; Date.now() < end; ) {
            if (out.indexOf(text, from) >= 0) return true;
            await new Promise((r) => setTimeout(r, 100));
          }
          return false;
        };
        try {
          expect(await seen('Escape character is ^]', 0, 20_000), out).toBe(true);
          let answered = false;
          for (let i = 0; i < 20 && !answered; i++) {
            const from = out.length;
            child.stdin.write('echo virsh-$((5*5))\n');
            answered = await seen('virsh-25', from, 2000);
          }
          expect(answered, out.slice(-400)).toBe(true);
          // ^] leaves the console; the program exits and the daemon's stream is finished.
          const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
          child.stdin.write(Buffer.from([0x1d]));
          expect(await exited).toBe(0);
        } finally {
          if (child.exitCode === null) child.kill('SIGKILL');
        }
        // The daemon still serves the console afterwards.
        const dom = await conn.lookupDomainByName('streamed');
        expect(await runOnConsole(dom, 'echo again-$((1+1))', 'again-2', { retries: 20 })).toContain('again-2');
      },
      120_000,
    );
  }

  it('a client that drops its socket mid-stream: tsvirtd keeps serving and the console opens again', async () => {
    for (let i = 0; i < 3; i++) {
      const other = await connect(uri, { drivers: [driver] });
      const c = await (await other.lookupDomainByName('streamed')).openConsole();
      await c.write(Buffer.from('echo dropped\n'));
      // No finish, no abort, no CONNECT_CLOSE: the socket just goes.
      await remoteOf(other).rpc.close();
    }
    const dom = await conn.lookupDomainByName('streamed');
    expect(await runOnConsole(dom, 'echo alive-$((2+2))', 'alive-4', { retries: 20 })).toContain('alive-4');
    expect(await t.log()).not.toMatch(/uncaught|unhandled/i);
  }, 120_000);

  handMadePackets('tsvirtd', () => t.port, 'streamed');

  it('a guest killed while its console is open ends the stream, not a hang', async () => {
    await conn.createDomainXml(guestXml(guest as TestGuest, 'doomed'));
    const how = await consoleEndOnGuestDeath(conn, 'doomed');
    // The pty hangs up: the daemon sends the end of the stream (libvirtd's answer to a hangup is
    // the same empty OK), and the reader's loop ends instead of waiting forever.
    expect(how).toEqual({ ended: true, failure: undefined });
    // The connection is fine afterwards.
    expect((await conn.listAllDomains()).map((d) => d.getName())).toContain('streamed');
  }, 60_000);
});

describe.skipIf(noGuest ?? noLibvirtd)(
  "tsvirt's client → the real libvirtd: console of a guest libvirtd started",
  () => {
    let l: Libvirtd;
    let conn: Connection;
    let files: TestGuest;
    beforeAll(async () => {
      l = await startLibvirtd({
        // libvirtd runs as nobody: give it its own copies of the guest's kernel and initrd.
        prepare: async (dir) => {
          const g = guest as TestGuest;
          const kernel = join(dir, 'vmlinuz');
          const initrd = join(dir, 'initrd.gz');
          await copyFile(g.kernel, kernel);
          await copyFile(g.initrd, initrd);
          files = { kernel, initrd };
          return [];
        },
      });
      for (const f of [files.kernel, files.initrd]) await chown(f, 65534, 65534);
      conn = await connect(`qemu+unix:///session?socket=${l.socket}`, { drivers: [driver] });
      await conn.createDomainXml(guestXml(files, 'libvirt-console'));
    }, 60_000);
    afterAll(async () => {
      if (conn) {
        await destroyAll(conn);
        await conn.close();
      }
      await l?.stop();
    });

    it('runs a command on the console and sees its output', async () => {
      const dom = await conn.lookupDomainByName('libvirt-console');
      const log = await runOnConsole(dom, 'echo libvirt-$((3*3))', 'libvirt-9', { retries: 40 });
      expect(log).toContain('libvirt-9');
    }, 120_000);

    handMadePackets('libvirtd', () => l.port, 'libvirt-console');
  },
);
