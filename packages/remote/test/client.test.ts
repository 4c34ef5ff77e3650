import { connect as netConnect } from 'node:net';
import { connect, ErrorCode, ErrorDomain, parseConnectUri } from '@tsvirt/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  driver,
  encodePing,
  KEEPALIVE_PROGRAM,
  openRemote,
  REMOTE_PROGRAM,
  RpcClient,
  serverUri,
  XdrReader,
} from '../src/index.js';
import { fakeServer, withConnectSequence } from './fake-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(handler: Parameters<typeof fakeServer>[0]) {
  const s = await fakeServer(handler);
  cleanups.push(s.close);
  return s;
}

function socketTo(port: number) {
  return new Promise<import('node:net').Socket>((resolve, reject) => {
    const s = netConnect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('serverUri', () => {
  it('drops transport, host, port and client-only parameters', () => {
    expect(serverUri(parseConnectUri('test+tcp://127.0.0.1:1234/default'))).toBe('test:///default');
    expect(serverUri(parseConnectUri('test+unix:///default?socket=/tmp/x/sock'))).toBe('test:///default');
    expect(serverUri(parseConnectUri('qemu+tcp://h/session?foo=bar&no_verify=1'))).toBe('qemu:///session?foo=bar');
    expect(serverUri(parseConnectUri('qemu+tcp://h/system?name=qemu:///embed'))).toBe('qemu:///embed');
    expect(serverUri(parseConnectUri('remote+tcp://h/'))).toBeUndefined();
  });
});

describe('driver descriptor', () => {
  it('is remote-only and declines transports it does not speak yet', async () => {
    expect(driver).toMatchObject({ name: 'remote', remoteOnly: true, contractVersion: 1 });
    expect(await driver.open(parseConnectUri('test+libssh://h/default'), {})).toBe(
      Symbol.for('tsvirt.driver.declined'),
    );
  });

  it('fails with a system error when nothing listens', async () => {
    const s = await fakeServer(() => {});
    const port = s.port;
    await s.close();
    await expect(connect(`test+tcp://127.0.0.1:${port}/default`, { drivers: [driver] })).rejects.toMatchObject({
      code: ErrorCode.SYSTEM_ERROR,
      domain: ErrorDomain.RPC,
      message: expect.stringMatching(/unable to connect to server at '127.0.0.1:\d+': Connection refused/),
    });
  });
});

describe('connect sequence', () => {
  it('sends auth list, open with the server URI and read-only flag, then get type', async () => {
    const seen: Array<{ proc: number; name?: string; flags?: number }> = [];
    const s = await server((p, reply) => {
      const r = new XdrReader(p.payload);
      if (p.header.proc === 1) {
        seen.push({ proc: 1, name: r.optional((x) => x.string()), flags: r.uint() });
      } else seen.push({ proc: p.header.proc });
      withConnectSequence(() => reply.error(3, 13, 'unexpected'))(p, reply, undefined as never);
    });
    const conn = await connect(`test+tcp://127.0.0.1:${s.port}/default`, { drivers: [driver], readOnly: true });
    expect(conn.getType()).toBe('TEST');
    expect(conn.getUri()).toBe(`test+tcp://127.0.0.1:${s.port}/default`);
    await conn.close();
    // AUTH_LIST, CONNECT_OPEN, CONNECT_SUPPORTS_FEATURE (keepalive; refused here), GET_TYPE,
    // GET_CAPABILITIES (the server decides the default architecture), CLOSE.
    expect(seen).toEqual([
      { proc: 66 },
      { proc: 1, name: 'test:///default', flags: 1 },
      { proc: 60 },
      { proc: 3 },
      { proc: 7 },
      { proc: 2 },
    ]);
  });

  it('refuses SASL and polkit with a clear authentication error', async () => {
    for (const [types, what] of [
      [[1], /requires sasl authentication/],
      [[2], /requires polkit authentication/],
    ] as const) {
      const s = await server(withConnectSequence(() => {}, [...types]));
      await expect(openRemote(parseConnectUri(`test+tcp://127.0.0.1:${s.port}/default`))).rejects.toMatchObject({
        code: ErrorCode.AUTH_UNAVAILABLE,
        domain: ErrorDomain.AUTH,
        message: expect.stringMatching(what),
      });
    }
  });

  it('passes server errors on with their code, domain and message', async () => {
    const s = await server((p, reply) => {
      if (p.header.proc === 1) return reply.error(5, 13, 'no connection driver available for nope:///');
      withConnectSequence(() => {})(p, reply, undefined as never);
    });
    await expect(openRemote(parseConnectUri(`nope+tcp://127.0.0.1:${s.port}/`))).rejects.toMatchObject({
      code: 5,
      domain: 13,
      message: 'no connection driver available for nope:///',
    });
  });
});

describe('RpcClient', () => {
  it('matches replies to calls by serial, in whatever order they come', async () => {
    const held: Array<() => void> = [];
    const s = await server((p, reply) => {
      const n = new XdrReader(p.payload).int();
      held.push(() => reply.ok((w) => w.int(n * 10)));
      if (held.length === 3) for (const f of held.reverse()) f();
    });
    const rpc = new RpcClient(await socketTo(s.port), 'fake');
    const calls = [1, 2, 3].map((n) =>
      rpc.call(
        REMOTE_PROGRAM,
        1,
        4,
        (w) => w.int(n),
        (r) => r.int(),
      ),
    );
    expect(await Promise.all(calls)).toEqual([10, 20, 30]);
    await rpc.close();
  });

  it('fails every pending call at once when the socket drops, and later calls at once', async () => {
    let count = 0;
    const s = await server((_p, _reply, socket) => {
      if (++count === 3) socket.destroy();
    });
    const rpc = new RpcClient(await socketTo(s.port), '127.0.0.1:fake');
    const calls = [1, 2, 3].map(() => rpc.call(REMOTE_PROGRAM, 1, 4));
    const results = await Promise.allSettled(calls);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: ErrorCode.SYSTEM_ERROR,
        domain: ErrorDomain.RPC,
        message: expect.stringMatching(/connection to 127.0.0.1:fake lost/),
      });
    }
    expect(rpc.isOpen).toBe(false);
    await expect(rpc.call(REMOTE_PROGRAM, 1, 4)).rejects.toMatchObject({ message: 'client socket is closed' });
  });

  it('gives up on a peer that sends an oversized frame', async () => {
    const s = await server((_p, _reply, socket) => {
      socket.write(new Uint8Array([0x7f, 0xff, 0xff, 0xff]));
    });
    const rpc = new RpcClient(await socketTo(s.port), 'fake');
    await expect(rpc.call(REMOTE_PROGRAM, 1, 4)).rejects.toMatchObject({
      code: ErrorCode.RPC,
      message: expect.stringMatching(/too large/),
    });
    expect(rpc.isOpen).toBe(false);
  });

  it('fails a call whose reply does not decode, and keeps the connection', async () => {
    const s = await server((p, reply) => {
      if (p.header.proc === 4) reply.ok((w) => w.int(1).int(2));
      else reply.ok((w) => w.uint(5).string('x'));
    });
    const rpc = new RpcClient(await socketTo(s.port), 'fake');
    await expect(rpc.call(REMOTE_PROGRAM, 1, 4, undefined, (r) => r.int())).rejects.toThrow(/trailing bytes/);
    await expect(rpc.call(REMOTE_PROGRAM, 1, 5, undefined, (r) => r.string(4))).rejects.toThrow(/exceeds maximum 4/);
    expect(rpc.isOpen).toBe(true);
    await rpc.close();
  });

  it('times out a call that gets no reply', async () => {
    const s = await server(() => {});
    const rpc = new RpcClient(await socketTo(s.port), 'fake');
    await expect(rpc.call(REMOTE_PROGRAM, 1, 4, undefined, undefined, { timeoutMs: 50 })).rejects.toMatchObject({
      code: ErrorCode.OPERATION_TIMEOUT,
    });
    await rpc.close();
  });

  it('answers a keepalive PING with a PONG', async () => {
    const pong = new Promise<number>((resolve) => {
      void server((p, _reply, socket) => {
        if (p.header.prog === KEEPALIVE_PROGRAM) resolve(p.header.proc);
        else socket.write(encodePing());
      }).then(async (s) => {
        const rpc = new RpcClient(await socketTo(s.port), 'fake');
        cleanups.push(() => rpc.close());
        void rpc.call(REMOTE_PROGRAM, 1, 4).catch(() => {});
      });
    });
    expect(await pong).toBe(2);
  });
});

describe('RemoteConnection', () => {
  it('maps hypervisor methods to procedures', async () => {
    const uuid = '6695eb01-f6a4-8304-79aa-97f2502e193f';
    const s = await server(
      withConnectSequence((p, reply) => {
        const dom = (w: import('../src/index.js').XdrWriter) =>
          w.string('test').fixedOpaque(new Uint8Array(16).fill(0x66), 16).int(1);
        switch (p.header.proc) {
          case 4:
            return reply.ok((w) => w.uhyper(9000000n));
          case 59:
            return reply.ok((w) => w.string('host.example'));
          case 273:
            return reply.ok((w) => {
              w.uint(1);
              dom(w);
              w.uint(1);
            });
          case 212:
            return reply.ok((w) => w.int(3).int(1));
          default:
            return reply.error(3, 13, `unknown procedure: ${p.header.proc}`);
        }
      }),
    );
    const c = await connect(`test+tcp://127.0.0.1:${s.port}/default`, { drivers: [driver] });
    expect(await c.getVersion()).toBe(9000000);
    expect(await c.getHostname()).toBe('host.example');
    const doms = await c.listAllDomains();
    expect(doms.map((d) => [d.getName(), d.getID(), d.getUUIDString()])).toEqual([
      ['test', 1, '66666666-6666-6666-6666-666666666666'],
    ]);
    expect(await doms[0]!.getState()).toEqual({ state: 3, reason: 1 });
    await expect(c.lookupDomainByUuid(uuid)).rejects.toMatchObject({ code: 3, message: /unknown procedure: 24/ });
    expect(c.supports('domain.lifecycle.suspend')).toBe(true);
    expect(c.supports('domain.snapshots')).toBe(true);
    expect(c.supports('domain.lifecycle.reset')).toBe(true);
    expect(c.supports('domain.stats')).toBe(true);
    // The qemu program is offered only when the server's driver is QEMU.
    expect(c.supports('domain.monitor')).toBe(false);
    await c.close();
  });
});
