import { ErrorCode } from '@tsvirt/core';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpError, type QmpEvent, QmpMonitor } from '../src/index.js';
import { HAVE_QEMU, startQemu, type TestQemu } from './helpers/qemu.js';

describe.skipIf(!HAVE_QEMU)('QMP monitor against the real qemu-system-x86_64', () => {
  let qemu: TestQemu | undefined;
  let monitor: QmpMonitor | undefined;

  afterEach(async () => {
    monitor?.close();
    monitor = undefined;
    await qemu?.stop();
    qemu = undefined;
  });

  async function open(options = {}): Promise<{ qemu: TestQemu; monitor: QmpMonitor }> {
    qemu = startQemu();
    monitor = await QmpMonitor.connect(qemu.socketPath, options);
    return { qemu, monitor };
  }

  it('reads the greeting, negotiates and runs typed commands', async () => {
    const { monitor } = await open();
    expect(monitor.greeting?.QMP.version.qemu.major).toBe(7);
    const version = await monitor.execute('query-version');
    expect(`${version.qemu.major}.${version.qemu.minor}`).toBe('7.2');
    const status = await monitor.execute('query-status');
    expect(status).toMatchObject({ running: false, status: 'prelaunch' });
    const target = await monitor.execute('query-target');
    expect(target.arch).toBe('x86_64');
  });

  it("turns QMP's error reply into a QmpError with the class and description", async () => {
    const { monitor } = await open();
    const err = await monitor.execute('no-such-command').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    const q = err as QmpError;
    expect(q.qmpClass).toBe('CommandNotFound');
    expect(q.qmpDesc).toBe('The command no-such-command has not been found');
    expect(q.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(q.message).toBe(
      "internal error: unable to execute QEMU command 'no-such-command': The command no-such-command has not been found",
    );
    const notFound = await monitor
      .execute('device-list-properties', { typename: 'no-such-device' })
      .catch((e: unknown) => e);
    expect((notFound as QmpError).qmpClass).toBe('DeviceNotFound');
    // The monitor stays usable after an error reply.
    await expect(monitor.execute('query-kvm')).resolves.toHaveProperty('present');
  });

  it('delivers events to listeners without holding up command replies', async () => {
    const { monitor } = await open();
    const seen: QmpEvent[] = [];
    monitor.onEvent(() => {
      throw new Error('a failing listener must not break the monitor');
    });
    monitor.onEvent((e) => {
      seen.push(e);
    });
    // A listener that never finishes its own async work does not block anything either.
    monitor.onEvent(() => new Promise(() => {}));
    await monitor.execute('cont');
    await monitor.execute('stop');
    const status = await monitor.execute('query-status');
    expect(status.running).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(seen.map((e) => e.event)).toEqual(['RESUME', 'STOP']);
    expect(seen[0]!.timestamp.seconds).toBeGreaterThan(0);
  });

  it('keeps one command in flight and answers queued commands in order', async () => {
    const { monitor } = await open();
    const socket = (monitor as unknown as { socket: import('node:net').Socket }).socket;
    const trace: string[] = [];
    const write = socket.write.bind(socket);
    socket.write = ((data: string) => {
      trace.push('send');
      return write(data);
    }) as typeof socket.write;
    // Runs before the monitor's own listener, so a reply is logged before the send it triggers.
    socket.prependListener('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.includes('"return"')) trace.push('reply');
    });
    const results = await Promise.all([
      monitor.execute('query-target'),
      monitor.execute('query-kvm'),
      monitor.execute('query-status'),
      monitor.execute('query-version'),
    ]);
    expect(results[0]).toEqual({ arch: 'x86_64' });
    expect(results[1]).toHaveProperty('enabled');
    expect(results[2]).toHaveProperty('status', 'prelaunch');
    expect(results[3]).toHaveProperty('package');
    expect(trace).toEqual(['send', 'reply', 'send', 'reply', 'send', 'reply', 'send', 'reply']);
  });

  it('times a command out, drops its late reply and carries on', async () => {
    const { qemu, monitor } = await open();
    process.kill(qemu.pid, 'SIGSTOP');
    const slow = monitor.execute('query-version', undefined, { timeoutMs: 200 });
    const next = monitor.execute('query-target', undefined, { timeoutMs: 5000 });
    const err = await slow.catch((e: unknown) => e);
    expect((err as { code: number }).code).toBe(ErrorCode.OPERATION_TIMEOUT);
    expect((err as Error).message).toBe(
      "Timed out during operation: QEMU command 'query-version' got no reply within 200 ms",
    );
    process.kill(qemu.pid, 'SIGCONT');
    // query-version's late reply arrives first and must not be taken for query-target's.
    await expect(next).resolves.toEqual({ arch: 'x86_64' });
  });

  it('fails every pending command at once when QEMU goes away', async () => {
    const { qemu, monitor } = await open();
    process.kill(qemu.pid, 'SIGSTOP');
    const pending = [
      monitor.execute('query-version'),
      monitor.execute('query-status'),
      monitor.execute('query-target'),
    ].map((p) => p.catch((e: unknown) => e));
    let closedWith: unknown;
    monitor.onClose((e) => {
      closedWith = e;
    });
    process.kill(qemu.pid, 'SIGKILL');
    const errors = await Promise.all(pending);
    for (const e of errors) {
      // QEMU dies with our unread command in its socket buffer, so the kernel resets the connection.
      expect((e as Error).message).toBe('operation failed: Unable to read from monitor: Connection reset by peer');
    }
    expect(new Set(errors).size).toBe(1);
    expect(monitor.closed).toBe(true);
    expect(closedWith).toBe(errors[0]);
    await expect(monitor.execute('query-status')).rejects.toThrow(/Unable to read from monitor/);
  });
});
