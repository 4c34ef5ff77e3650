/**
 * A QMP monitor on a unix socket: the greeting, capabilities negotiation, one command in flight
 * at a time (later ones wait in a queue), per-command timeouts, events handed to listeners
 * outside the reply path, and every pending command failed at once when the socket ends.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { VirError } from '@tsvirt/core';
import { monitorClosedError, monitorIoError, protocolError, QmpError, timeoutError } from './errors.js';
import { LineReader } from './line-reader.js';
import type {
  QmpArgs,
  QmpCommandArgs,
  QmpCommandName,
  QmpCommandReturn,
  QmpEvent,
  QmpGreeting,
  QmpPeer,
} from './types.js';

export interface QmpMonitorOptions {
  /** Default per-command timeout in ms; 0 waits for ever. */
  readonly commandTimeoutMs?: number;
  /** How long connect() keeps retrying while the socket does not accept yet (QEMU still starting). */
  readonly connectTimeoutMs?: number;
  /** Longest single QMP message accepted (query-qmp-schema is about 1 MiB). */
  readonly maxMessageBytes?: number;
}

export interface ExecuteOptions {
  /** Overrides the monitor's default timeout for this command. */
  readonly timeoutMs?: number;
}

export type QmpEventListener = (event: QmpEvent) => void;
export type QmpCloseListener = (error: VirError | undefined) => void;

interface PendingCommand {
  readonly command: string;
  readonly args: QmpArgs | undefined;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  id?: string;
  timer?: NodeJS.Timeout;
}

const DEFAULTS = { commandTimeoutMs: 30_000, connectTimeoutMs: 5_000, maxMessageBytes: 64 * 1024 * 1024 };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class QmpMonitor implements QmpPeer {
  private readonly reader: LineReader;
  private readonly queue: PendingCommand[] = [];
  private inFlight: PendingCommand | undefined;
  private nextId = 1;
  private readonly eventListeners = new Set<QmpEventListener>();
  private readonly closeListeners = new Set<QmpCloseListener>();
  private readonly events: QmpEvent[] = [];
  private eventsScheduled = false;
  private closeError: VirError | undefined;
  private isClosed = false;
  private greetingValue: QmpGreeting | undefined;
  private greetingWaiter: { resolve: (g: QmpGreeting) => void; reject: (e: Error) => void } | undefined;
  private readonly defaultTimeoutMs: number;

  /** Wraps an already connected socket; most callers want QmpMonitor.connect(). */
  constructor(
    private readonly socket: Socket,
    options: QmpMonitorOptions = {},
  ) {
    this.defaultTimeoutMs = options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs;
    this.reader = new LineReader(options.maxMessageBytes ?? DEFAULTS.maxMessageBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.shutdown(monitorIoError(err)));
    socket.on('close', () => this.shutdown(monitorClosedError()));
  }

  /**
   * Connects to QEMU's QMP socket, waits for the greeting and leaves capabilities negotiation
   * mode, so the monitor is ready for commands when the promise resolves.
   */
  static async connect(path: string, options: QmpMonitorOptions = {}): Promise<QmpMonitor> {
    const socket = await connectWithRetry(path, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
    const monitor = new QmpMonitor(socket, options);
    try {
      await monitor.waitGreeting(options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
      await monitor.execute('qmp_capabilities');
    } catch (err) {
      monitor.close();
      throw err;
    }
    return monitor;
  }

  get greeting(): QmpGreeting | undefined {
    return this.greetingValue;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  execute<K extends QmpCommandName>(
    command: K,
    ...rest: undefined extends QmpCommandArgs<K>
      ? [args?: QmpCommandArgs<K>, options?: ExecuteOptions]
      : [args: QmpCommandArgs<K>, options?: ExecuteOptions]
  ): Promise<QmpCommandReturn<K>>;
  execute(command: string, args?: QmpArgs, options?: ExecuteOptions): Promise<unknown>;
  execute(command: string, args?: QmpArgs, options?: ExecuteOptions): Promise<unknown> {
    if (this.isClosed) return Promise.reject(this.closeError ?? monitorClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({
        command,
        args,
        timeoutMs: options?.timeoutMs ?? this.defaultTimeoutMs,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  /** Adds an event listener; returns the function that removes it. */
  onEvent(listener: QmpEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called once when the monitor ends, with the error that ended it (undefined after close()). */
  onClose(listener: QmpCloseListener): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Closes the socket; pending commands fail with "QEMU monitor closed". */
  close(): void {
    this.shutdown(monitorClosedError('closed by the caller'), true);
  }

  private waitGreeting(timeoutMs: number): Promise<QmpGreeting> {
    if (this.greetingValue) return Promise.resolve(this.greetingValue);
    if (this.isClosed) return Promise.reject(this.closeError ?? monitorClosedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.greetingWaiter = undefined;
        reject(timeoutError('(greeting)', timeoutMs));
      }, timeoutMs);
      this.greetingWaiter = {
        resolve: (g) => {
          clearTimeout(timer);
          resolve(g);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** Sends the next queued command when none is in flight (and the greeting has arrived). */
  private pump(): void {
    if (this.inFlight || this.isClosed || !this.greetingValue) return;
    const next = this.queue.shift();
    if (!next) return;
    next.id = `tsvirt-${this.nextId++}`;
    this.inFlight = next;
    const message: Json = { execute: next.command };
    if (next.args !== undefined) message.arguments = next.args;
    message.id = next.id;
    if (next.timeoutMs > 0) {
      next.timer = setTimeout(() => {
        if (this.inFlight !== next) return;
        // A late reply carries this id and is dropped; the queue moves on.
        this.inFlight = undefined;
        next.reject(timeoutError(next.command, next.timeoutMs));
        this.pump();
      }, next.timeoutMs);
    }
    this.socket.write(`${JSON.stringify(message)}\r\n`);
  }

  private onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.reader.push(chunk);
    } catch (err) {
      this.shutdown(protocolError((err as Error).message));
      return;
    }
    for (const line of lines) {
      if (this.isClosed) return;
      if (line.trim() === '') continue;
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (err) {
      this.shutdown(protocolError(`cannot parse json ${line}: ${(err as Error).message}`));
      return;
    }
    if (!isObject(message)) {
      this.shutdown(protocolError(`unexpected QMP message '${line}'`));
      return;
    }
    if ('QMP' in message) this.onGreeting(message as unknown as QmpGreeting);
    else if (typeof message.event === 'string') this.queueEvent(message as unknown as QmpEvent);
    else if ('return' in message || 'error' in message) this.onReply(message);
    else this.shutdown(protocolError(`unexpected QMP message '${line}'`));
  }

  private onGreeting(greeting: QmpGreeting): void {
    if (this.greetingValue) return;
    this.greetingValue = greeting;
    this.greetingWaiter?.resolve(greeting);
    this.greetingWaiter = undefined;
    this.pump();
  }

  private onReply(message: Json): void {
    const pending = this.inFlight;
    // QEMU omits the id when it could not parse the command, so a reply without one belongs
    // to the command in flight; a reply with another id answers a command that timed out.
    if (!pending || (message.id !== undefined && message.id !== pending.id)) return;
    this.inFlight = undefined;
    if (pending.timer) clearTimeout(pending.timer);
    if ('error' in message) {
      const error = isObject(message.error) ? message.error : {};
      const cls = typeof error.class === 'string' ? error.class : 'GenericError';
      const desc = typeof error.desc === 'string' ? error.desc : 'unknown error';
      pending.reject(new QmpError(pending.command, cls, desc));
    } else {
      pending.resolve(message.return);
    }
    this.pump();
  }

  /** Events go to listeners on a later turn, in order, so a slow or throwing listener never holds up replies. */
  private queueEvent(event: QmpEvent): void {
    this.events.push(event);
    if (this.eventsScheduled) return;
    this.eventsScheduled = true;
    setImmediate(() => {
      this.eventsScheduled = false;
      for (const e of this.events.splice(0)) {
        for (const listener of this.eventListeners) {
          try {
            listener(e);
          } catch {
            // A listener's failure is its own; the monitor keeps going.
          }
        }
      }
    });
  }

  private shutdown(error: VirError, byCaller = false): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeError = error;
    const pending = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const p of pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(error);
    }
    this.greetingWaiter?.reject(error);
    this.greetingWaiter = undefined;
    this.socket.destroy();
    for (const listener of this.closeListeners) {
      try {
        listener(byCaller ? undefined : error);
      } catch {
        // ignored, as for event listeners
      }
    }
  }
}

/** QEMU creates the socket shortly after it starts: retry ENOENT/ECONNREFUSED until the deadline. */
async function connectWithRetry(path: string, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = netConnect(path);
        socket.once('connect', () => {
          socket.removeListener('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() >= deadline) {
        throw monitorClosedError(`cannot connect to '${path}': ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
