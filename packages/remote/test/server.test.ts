import { connect, ErrorCode, ErrorDomain } from '@tsvirt/core';
import { driver as testDriver } from '@tsvirt/driver-test';
import { describe, expect, it } from 'vitest';
import {
  decodeRawPacket,
  encodePacket,
  encodePing,
  KEEPALIVE_PROGRAM,
  KeepaliveProcedure,
  MessageStatus,
  MessageType,
  Procedures,
  REMOTE_PROGRAM,
  readRemoteError,
  remoteErrorToVirError,
  ServerSession,
  XdrReader,
  XdrWriter,
  xcharArray,
} from '../src/index.js';

type Name = keyof typeof Procedures;

/** A session on test:///default whose replies are collected, and a typed way to call it. */
function session(readOnly = false) {
  const out: Uint8Array[] = [];
  const s = new ServerSession({
    open: (name, ro) => connect(name ?? 'test:///default', { readOnly: ro, drivers: [testDriver] }),
    readOnly,
    send: (f) => out.push(f),
  });
  let serial = 0;
  /** Send one call and wait for its reply; returns the decoded ret or the VirError. */
  async function call<K extends Name>(name: K, args: unknown, raw?: Uint8Array) {
    const def = Procedures[name];
    const w = new XdrWriter();
    (def.args.write as (w: XdrWriter, v: unknown) => void)(w, args);
    const mine = ++serial;
    s.receive(
      encodePacket(
        { prog: REMOTE_PROGRAM, vers: 1, proc: def.proc, type: MessageType.CALL, serial: mine, status: 0 },
        raw ?? w.finish(),
      ),
    );
    for (;;) {
      const i = out.findIndex((f) => decodeRawPacket(f).header.serial === mine);
      if (i >= 0) {
        const { header, payload } = decodeRawPacket(out.splice(i, 1)[0]!);
        const r = new XdrReader(payload);
        if (header.status === MessageStatus.ERROR) return { error: remoteErrorToVirError(readRemoteError(r)) };
        return { ret: def.ret.read(r) as unknown };
      }
      await new Promise((res) => setImmediate(res));
    }
  }
  return { s, out, call };
}

describe('the procedure table', () => {
  it('has one definition per procedure number', () => {
    const numbers = Object.values(Procedures).map((d) => d.proc);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it("encodes rpcgen's char arrays one word per byte, NUL included", () => {
    const w = new XdrWriter();
    xcharArray(257).write(w, 'ab');
    expect([...w.finish()]).toEqual([0, 0, 0, 3, 0, 0, 0, 97, 0, 0, 0, 98, 0, 0, 0, 0]);
    expect(xcharArray(257).read(new XdrReader(w.finish()))).toBe('ab');
  });

  it('lays DOMAIN_GET_INFO out as libvirt does: uchar state, 3 hypers and a ushort as words', () => {
    const w = new XdrWriter();
    Procedures.DOMAIN_GET_INFO.ret.write(w, { state: 1, maxMem: 2, memory: 3, nrVirtCpu: 4, cpuTime: 5n });
    expect(w.length).toBe(4 + 8 + 8 + 4 + 8);
  });
});

describe('ServerSession', () => {
  it('opens, answers from the driver, and closes', async () => {
    const { call } = session();
    expect(await call('AUTH_LIST', undefined)).toEqual({ ret: [0] });
    expect(await call('CONNECT_OPEN', { name: 'test:///default', flags: 0 })).toEqual({ ret: undefined });
    expect(await call('CONNECT_GET_TYPE', undefined)).toEqual({ ret: 'TEST' });
    const list = (await call('CONNECT_LIST_ALL_DOMAINS', { needResults: 1, flags: 0 })).ret as {
      items: { name: string }[];
      ret: number;
    };
    expect(list.items.map((d) => d.name)).toEqual(['test']);
    expect(list.ret).toBe(1);
    expect((await call('CONNECT_LIST_ALL_DOMAINS', { needResults: 0, flags: 0 })).ret).toEqual({ items: [], ret: 1 });
    expect(await call('CONNECT_CLOSE', undefined)).toEqual({ ret: undefined });
  });

  it("passes the driver's errors through unchanged", async () => {
    const { call } = session();
    await call('CONNECT_OPEN', { name: 'test:///default', flags: 0 });
    const { error } = await call('DOMAIN_LOOKUP_BY_NAME', 'nosuch');
    expect(error).toMatchObject({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.TEST });
  });

  it('answers like libvirtd before the open, twice opened, and on undecodable args', async () => {
    const { call } = session();
    expect((await call('CONNECT_GET_TYPE', undefined)).error).toMatchObject({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.RPC,
      message: 'internal error: hypervisor connection not open',
    });
    await call('CONNECT_OPEN', { name: 'test:///default', flags: 0 });
    expect((await call('CONNECT_OPEN', { name: 'test:///default', flags: 0 })).error?.message).toBe(
      'internal error: connection already open',
    );
    expect((await call('DOMAIN_LOOKUP_BY_NAME', '', new Uint8Array([0, 0, 0, 9]))).error).toMatchObject({
      code: ErrorCode.RPC,
      message: 'Unable to decode message payload',
    });
  });

  it('forces read-only on a read-only socket, whatever the client asks', async () => {
    const { call } = session(true);
    await call('CONNECT_OPEN', { name: 'test:///default', flags: 0 });
    const { error } = await call('DOMAIN_DEFINE_XML', "<domain type='test'><name>x</name></domain>");
    expect(error).toMatchObject({
      code: ErrorCode.OPERATION_DENIED,
      message: 'operation forbidden: read only access prevents virDomainDefineXML',
    });
  });

  it('answers a keepalive PING with a PONG and ignores replies sent to it', async () => {
    const { s, out } = session();
    s.receive(encodePing());
    s.receive(encodePacket({ prog: REMOTE_PROGRAM, vers: 1, proc: 3, type: MessageType.REPLY, serial: 9, status: 0 }));
    await new Promise((r) => setImmediate(r));
    expect(out.map((f) => decodeRawPacket(f).header)).toEqual([
      {
        prog: KEEPALIVE_PROGRAM,
        vers: 1,
        proc: KeepaliveProcedure.PONG,
        type: MessageType.MESSAGE,
        serial: 0,
        status: 0,
      },
    ]);
  });

  it('sends lifecycle events to a registered callback, filtered by domain', async () => {
    const { call, out } = session();
    await call('CONNECT_OPEN', { name: 'test:///default', flags: 0 });
    const test = (await call('DOMAIN_LOOKUP_BY_NAME', 'test')).ret as { name: string; uuid: string; id: number };
    const all = (await call('CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY', { eventID: 0, dom: undefined })).ret;
    const onlyOther = (
      await call('CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY', {
        eventID: 0,
        dom: { name: 'x', uuid: '00000000-0000-0000-0000-000000000001', id: -1 },
      })
    ).ret;
    expect(all).not.toBe(onlyOther);
    await call('DOMAIN_SUSPEND', test);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const events = out.filter((f) => decodeRawPacket(f).header.type === MessageType.MESSAGE);
    expect(events).toHaveLength(1);
    const { header, payload } = decodeRawPacket(events[0]!);
    expect(header).toMatchObject({ proc: 318, serial: 0, status: 0 });
    const msg = (await import('../src/index.js')).Messages.DOMAIN_EVENT_CALLBACK_LIFECYCLE.args.read(
      new XdrReader(payload),
    );
    expect(msg).toEqual({ callbackID: all, dom: test, event: 3, detail: 0 });
    expect((await call('CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY', 99)).error?.code).toBe(ErrorCode.INVALID_ARG);
    expect((await call('CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY', all)).ret).toBeUndefined();
    expect(
      (await call('CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY', { eventID: 99, dom: undefined })).error?.code,
    ).toBe(ErrorCode.INVALID_ARG);
  });
});
