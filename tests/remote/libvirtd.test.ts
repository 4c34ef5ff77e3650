/**
 * @tsvirt/remote against the real libvirtd of this machine (Debian libvirt-daemon 9.0), started
 * by ./libvirtd.ts as user nobody in a private directory, over TCP on 127.0.0.1 and its unix socket.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect, DomainState, ErrorCode, ErrorDomain, parseConnectUri } from '@tsvirt/core';
import { runDriverConformance } from '@tsvirt/core/testing';
import {
  decodePacket,
  driver,
  encodePacket,
  MessageStatus,
  MessageType,
  openRemote,
  PacketFramer,
  REMOTE_PROGRAM,
  type RemoteConnection,
  RemoteProcedure,
  readRemoteError,
  remoteErrorToVirError,
  STRING_MAX,
  XdrReader,
  XdrWriter,
} from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd } from './libvirtd.js';

const unavailable = libvirtdUnavailable();
if (unavailable) console.warn(`[tests/remote] skipping the real-libvirtd tests: ${unavailable}`);

const domainXml = (name: string) =>
  `<domain type='test'><name>${name}</name><memory>65536</memory><os><type>hvm</type></os></domain>`;

const networkXml = (name: string) => `<network><name>${name}</name><bridge name='tsv-${name.slice(-6)}'/></network>`;
const volumeXml = (name: string) => `<volume><name>${name}</name><capacity>1048576</capacity></volume>`;

let daemon: Libvirtd | undefined;
const d = (): Libvirtd => {
  if (!daemon) throw new Error('libvirtd did not start');
  return daemon;
};

describe.skipIf(unavailable !== undefined)('@tsvirt/remote against a real libvirtd', () => {
  beforeAll(async () => {
    daemon = await startLibvirtd();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  runDriverConformance({
    name: 'test+tcp:// through libvirtd',
    open: ({ readOnly }) => connect(d().tcpUri(), { readOnly, drivers: [driver] }),
    domainXml,
    networkXml,
    volumeXml,
    poolName: 'default-pool',
  });

  runDriverConformance({
    name: 'test+unix:// through libvirtd',
    open: ({ readOnly }) => connect(d().unixUri(), { readOnly, drivers: [driver] }),
    domainXml,
    networkXml,
    volumeXml,
    poolName: 'default-pool',
  });

  describe('the connection', () => {
    it("reports the server's type, version, hostname and the default test domain", async () => {
      const c = await connect(d().tcpUri(), { drivers: [driver] });
      try {
        expect(c.getType()).toBe('TEST');
        expect(await c.getVersion()).toBeGreaterThan(0);
        expect(await c.getHostname()).toMatch(/\S/);
        const test = await c.lookupDomainByName('test');
        expect(test.getID()).toBe(1);
        expect((await test.getState()).state).toBe(DomainState.RUNNING);
        expect(await test.getXmlDesc()).toContain("<domain type='test' id='1'>");
        expect((await c.lookupDomainById(1)).getName()).toBe('test');
      } finally {
        await c.close();
      }
    });

    it("passes libvirtd's errors on unchanged (code, domain, message)", async () => {
      const c = await connect(d().unixUri(), { drivers: [driver] });
      try {
        await expect(c.lookupDomainByName('no-such-domain')).rejects.toMatchObject({
          code: ErrorCode.NO_DOMAIN,
          domain: ErrorDomain.TEST,
          message: expect.stringMatching(/^Domain not found/),
        });
      } finally {
        await c.close();
      }
    });

    it('fails cleanly for a driver the daemon does not have', async () => {
      await expect(openRemote(parseConnectUri(`nosuch+tcp://127.0.0.1:${d().port}/`))).rejects.toMatchObject({
        code: ErrorCode.NO_CONNECT,
      });
    });

    it('gets a clean error for a procedure number the daemon does not know', async () => {
      const c = (await openRemote(parseConnectUri(d().tcpUri()))) as RemoteConnection;
      try {
        await expect(c.rpc.call(REMOTE_PROGRAM, 1, 99999)).rejects.toMatchObject({ code: ErrorCode.RPC });
        // The connection still works afterwards.
        expect(await c.hypervisor.getHostname!()).toMatch(/\S/);
      } finally {
        await c.close();
      }
    });

    it('fails pending calls at once when the daemon side goes away', async () => {
      const c = (await openRemote(parseConnectUri(d().tcpUri()))) as RemoteConnection;
      const pending = c.hypervisor.getCapabilities();
      (c.rpc as unknown as { socket: Socket }).socket.destroy();
      await expect(pending).rejects.toMatchObject({ code: ErrorCode.SYSTEM_ERROR, domain: ErrorDomain.RPC });
      await expect(c.hypervisor.getVersion()).rejects.toMatchObject({ message: 'client socket is closed' });
      await c.close();
    });
  });

  describe('robustness: libvirtd and our decoder on bad frames', () => {
    function raw(): Promise<Socket> {
      return new Promise((resolve, reject) => {
        const s = netConnect({ host: '127.0.0.1', port: d().port }, () => resolve(s));
        s.once('error', reject);
      });
    }
    /** Send bytes; resolve with the frames received until a reply to `serial` comes, the daemon closes, or 2 s pass. */
    function exchange(
      bytes: Uint8Array,
      serial = -1,
    ): Promise<{ closed: boolean; frames: ReturnType<PacketFramer['push']> }> {
      return raw().then(
        (s) =>
          new Promise((resolve) => {
            const framer = new PacketFramer();
            const frames: ReturnType<PacketFramer['push']> = [];
            s.on('data', (c) => {
              frames.push(...framer.push(new Uint8Array(c)));
              if (frames.some((f) => f.header.serial === serial)) s.destroy();
            });
            s.on('error', () => {});
            const timer = setTimeout(() => {
              s.destroy();
              resolve({ closed: false, frames });
            }, 2000);
            s.on('close', () => {
              clearTimeout(timer);
              resolve({ closed: !frames.some((f) => f.header.serial === serial), frames });
            });
            s.write(bytes);
          }),
      );
    }
    /** The VirError in the ERROR reply to `serial`. */
    function errorOf(frames: ReturnType<PacketFramer['push']>, serial: number) {
      const reply = frames.find((f) => f.header.serial === serial);
      expect(reply?.header).toMatchObject({ type: MessageType.REPLY, status: MessageStatus.ERROR });
      const r = new XdrReader(reply!.payload);
      const err = remoteErrorToVirError(readRemoteError(r));
      r.done();
      return err;
    }
    async function stillServes(): Promise<void> {
      const c = await connect(d().tcpUri(), { drivers: [driver] });
      expect((await c.listAllDomains()).length).toBeGreaterThan(0);
      await c.close();
    }

    it('a length word over 32 MiB makes libvirtd drop that client and keep serving', async () => {
      const r = await exchange(new XdrWriter().uint(0x7fffffff).finish());
      expect(r.closed).toBe(true);
      await stillServes();
    });

    it('a string over 4 MiB is refused by our encoder and, sent raw, by libvirtd with an RPC error', async () => {
      expect(() => new XdrWriter().string('x'.repeat(STRING_MAX + 1))).toThrow(/exceed maximum 4194304/);
      // Hand-made payload claiming a 4 MiB + 1 name for DOMAIN_LOOKUP_BY_NAME.
      const payload = new XdrWriter().uint(STRING_MAX + 1).finish();
      const frame = encodePacket(
        {
          prog: REMOTE_PROGRAM,
          vers: 1,
          proc: RemoteProcedure.DOMAIN_LOOKUP_BY_NAME,
          type: MessageType.CALL,
          serial: 1,
          status: MessageStatus.OK,
        },
        payload,
      );
      const r = await exchange(frame, 1);
      const err = errorOf(r.frames, 1);
      expect(err).toMatchObject({ code: ErrorCode.RPC, domain: ErrorDomain.RPC });
      await stillServes();
    });

    it('a bad program number gets an RPC error reply and the daemon keeps serving', async () => {
      const frame = encodePacket({
        prog: 0x12345678,
        vers: 1,
        proc: 1,
        type: MessageType.CALL,
        serial: 5,
        status: MessageStatus.OK,
      });
      const r = await exchange(frame, 5);
      expect(errorOf(r.frames, 5)).toMatchObject({
        code: ErrorCode.RPC,
        domain: ErrorDomain.RPC,
        message: 'Cannot find program 305419896 version 1',
      });
      await stillServes();
    });

    it('a truncated frame followed by a hang-up leaves the daemon serving', async () => {
      const frame = encodePacket(
        {
          prog: REMOTE_PROGRAM,
          vers: 1,
          proc: RemoteProcedure.AUTH_LIST,
          type: MessageType.CALL,
          serial: 1,
          status: MessageStatus.OK,
        },
        new Uint8Array(8),
      );
      const s = await raw();
      s.end(frame.subarray(0, 20));
      await new Promise((r) => s.on('close', r));
      await stillServes();
      expect(() => decodePacket(frame.subarray(0, 20))).toThrow(/length word says/);
    });
  });
});
