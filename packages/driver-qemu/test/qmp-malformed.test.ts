/**
 * What the monitor does with input QEMU should never send. A socket server of the test's own
 * plays QEMU here, because a real QEMU cannot be made to send garbage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@tsvirt/core';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpMonitor } from '../src/index.js';

const GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "x"}, "capabilities": []}}\r\n';

interface FakePeer {
  readonly path: string;
  /** Commands received so far, parsed. */
  readonly received: Array<Record<string, unknown>>;
  /** Resolves with the next command received. */
  next(): Promise<Record<string, unknown>>;
  send(text: string): void;
}

let server: Server | undefined;
let dir: string | undefined;
const servers: Server[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

async function fakePeer(): Promise<FakePeer> {
  dir = mkdtempSync(join(tmpdir(), 'tsvirt-qmp-bad-'));
  dirs.push(dir);
  const path = join(dir, 'qmp.sock');
  const received: Array<Record<string, unknown>> = [];
  const waiters: Array<(c: Record<string, unknown>) => void> = [];
  let client: Socket | undefined;
  server = createServer((socket) => {
    client = socket;
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk.toString();
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const cmd = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        received.push(cmd);
        if (cmd.execute === 'qmp_capabilities') socket.write(`{"return": {}, "id": ${JSON.stringify(cmd.id)}}\r\n`);
        else waiters.shift()?.(cmd);
      }
    });
    socket.write(GREETING);
  });
  servers.push(server);
  await new Promise<void>((r) => server!.listen(path, r));
  return {
    path,
    received,
    next: () => new Promise((r) => waiters.push(r)),
    send: (text) => client!.write(text),
  };
}

describe('QMP monitor with malformed input', () => {
  it('takes a reply without an id as the answer to the command in flight', async () => {
    const peer = await fakePeer();
    const monitor = await QmpMonitor.connect(peer.path);
    const next = peer.next();
    const result = monitor.execute('query-status');
    await next;
    peer.send('{"return": {"running": true, "status": "running"}}\r\n');
    await expect(result).resolves.toEqual({ running: true, status: 'running' });
    monitor.close();
  });

  it('ignores a reply carrying some other id and waits for the right one', async () => {
    const peer = await fakePeer();
    const monitor = await QmpMonitor.connect(peer.path);
    const next = peer.next();
    const result = monitor.execute('query-target');
    const cmd = await next;
    peer.send('{"return": {"arch": "wrong"}, "id": "someone-else"}\r\n');
    peer.send(`{"return": {"arch": "x86_64"}, "id": ${JSON.stringify(cmd.id)}}\r\n`);
    await expect(result).resolves.toEqual({ arch: 'x86_64' });
    monitor.close();
  });

  it('fails all pending commands with a clear error on a garbage line and closes', async () => {
    const peer = await fakePeer();
    const monitor = await QmpMonitor.connect(peer.path);
    const next = peer.next();
    const first = monitor.execute('query-status').catch((e: unknown) => e);
    const second = monitor.execute('query-kvm').catch((e: unknown) => e);
    await next;
    peer.send('this is not json\r\n');
    const [a, b] = await Promise.all([first, second]);
    expect((a as { code: number }).code).toBe(ErrorCode.INTERNAL_ERROR);
    expect((a as Error).message).toMatch(/^internal error: cannot parse json this is not json: /);
    expect(b).toBe(a);
    expect(monitor.closed).toBe(true);
  });

  it('refuses JSON that is not an object, and objects that are no QMP message', async () => {
    for (const line of ['[1, 2, 3]', '{"hello": "world"}']) {
      const peer = await fakePeer();
      const monitor = await QmpMonitor.connect(peer.path);
      const next = peer.next();
      const pending = monitor.execute('query-status').catch((e: unknown) => e);
      await next;
      peer.send(`${line}\r\n`);
      expect(((await pending) as Error).message).toBe(`internal error: unexpected QMP message '${line}'`);
      server?.close();
    }
  });

  it('caps the length of a single message', async () => {
    const peer = await fakePeer();
    const monitor = await QmpMonitor.connect(peer.path, { maxMessageBytes: 1024 });
    const next = peer.next();
    const pending = monitor.execute('query-status').catch((e: unknown) => e);
    await next;
    peer.send(`{"return": "${'x'.repeat(4096)}`);
    expect(((await pending) as Error).message).toBe('internal error: QMP message longer than 1024 bytes');
  });

  it('reports a socket nobody listens on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsvirt-qmp-bad-'));
    dirs.push(dir);
    await expect(QmpMonitor.connect(join(dir, 'absent.sock'), { connectTimeoutMs: 50 })).rejects.toThrow(
      /cannot connect to '.*absent\.sock'/,
    );
  });
});
