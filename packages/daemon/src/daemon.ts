import { unlink } from 'node:fs/promises';
import type { Server, Socket } from 'node:net';
import { BusyPoll, serveSocket } from '@tsvirt/remote';
import type { Logger } from './logger.js';
import { openForClient } from './open.js';
import { acquirePidFile, releasePidFile } from './pidfile.js';
import type { DaemonSettings } from './settings.js';
import { groupId, listenTcp, listenUnix } from './sockets.js';
import { listenTls, type PreparedTls, prepareTls } from './tls-listener.js';

export interface DaemonOptions {
  settings: DaemonSettings;
  /** --listen: also serve TCP when listen_tcp is set. */
  listen: boolean;
  pidFile?: string;
  /** --timeout: exit after this many seconds without clients. */
  timeoutSeconds?: number;
  /** Extra directories where drivers are searched. */
  searchPaths?: readonly string[];
  logger: Logger;
}

/**
 * tsvirtd: the remote program on libvirtd's sockets. Every client gets its own session (and its
 * own hypervisor connection); drivers with shared state (test:///default) share it between the
 * open connections, as in libvirtd.
 */
export class Daemon {
  private readonly servers: { server: Server; path?: string; tls?: boolean }[] = [];
  private readonly clients = new Set<Socket>();
  private idleTimer?: NodeJS.Timeout;
  private stopping?: Promise<void>;
  private readonly open;
  private readonly busyPoll: BusyPoll;

  constructor(private readonly options: DaemonOptions) {
    this.open = openForClient(options.searchPaths);
    this.busyPoll = new BusyPoll(options.settings.busyPollUs);
  }

  get rwSocket(): string {
    return `${this.options.settings.unixSockDir}/libvirt-sock`;
  }
  get roSocket(): string {
    return `${this.options.settings.unixSockDir}/libvirt-sock-ro`;
  }
  /** The TCP port actually bound (tcp_port 0 picks a free one). */
  get tcpPort(): number | undefined {
    return this.portOf('tcp');
  }
  /** The TLS port actually bound. */
  get tlsPort(): number | undefined {
    return this.portOf('tls');
  }
  private portOf(kind: 'tcp' | 'tls'): number | undefined {
    for (const { server, path, tls } of this.servers) {
      const a = server.address();
      if (!path && (tls === true) === (kind === 'tls') && a && typeof a === 'object') return a.port;
    }
    return undefined;
  }

  async start(): Promise<void> {
    const s = this.options.settings;
    const log = this.options.logger;
    // TLS credentials and priority are checked before anything is bound or written.
    let tlsPrepared: PreparedTls | undefined;
    if (this.options.listen && s.listenTls) {
      tlsPrepared = prepareTls(
        {
          keyFile: s.keyFile,
          certFile: s.certFile,
          caFile: s.caFile,
          crlFile: s.crlFile,
          noVerifyCertificate: s.tlsNoVerifyCertificate,
          noSanityCertificate: s.tlsNoSanityCertificate,
          allowedDnList: s.tlsAllowedDnList,
          priority: s.tlsPriority,
        },
        log,
      );
    }
    if (this.options.pidFile) await acquirePidFile(this.options.pidFile);
    try {
      const gid = s.unixSockGroup ? groupId(s.unixSockGroup) : undefined;
      const rw = await listenUnix({ path: this.rwSocket, mode: s.unixSockRwPerms, gid }, (c) =>
        this.accept(c, { readOnly: false, secure: true, label: 'unix' }),
      );
      this.servers.push({ server: rw, path: this.rwSocket });
      const ro = await listenUnix({ path: this.roSocket, mode: s.unixSockRoPerms, gid }, (c) =>
        this.accept(c, { readOnly: true, secure: true, label: 'unix-ro' }),
      );
      this.servers.push({ server: ro, path: this.roSocket });
      if (this.options.listen && s.listenTcp) {
        const tcp = await listenTcp(s.listenAddr, s.tcpPort, (c) =>
          this.accept(c, { readOnly: false, secure: false, label: 'tcp' }),
        );
        this.servers.push({ server: tcp });
        log.info(`listening on ${s.listenAddr}:${this.tcpPort}`);
      }
      if (this.options.listen && s.listenTls) {
        const tls = await listenTls(
          s.listenAddr,
          s.tlsPort,
          tlsPrepared!,
          (c) => this.accept(c, { readOnly: false, secure: true, label: 'tls' }),
          log,
        );
        this.servers.push({ server: tls, tls: true });
        log.info(`listening for TLS on ${s.listenAddr}:${this.tlsPort}`);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    log.info(`listening on ${this.rwSocket} and ${this.roSocket}`);
    this.armIdleTimer();
  }

  private accept(socket: Socket, how: { readOnly: boolean; secure: boolean; label: string }): void {
    const log = this.options.logger;
    if (this.stopping || this.clients.size >= this.options.settings.maxClients) {
      log.warn(`refusing ${how.label} client: ${this.stopping ? 'shutting down' : 'too many clients'}`);
      socket.destroy();
      return;
    }
    this.clients.add(socket);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    log.debug(`new ${how.label} client (${this.clients.size} connected)`);
    serveSocket(socket, {
      open: this.open,
      readOnly: how.readOnly,
      secure: how.secure,
      keepaliveInterval: this.options.settings.keepaliveInterval,
      keepaliveCount: this.options.settings.keepaliveCount,
      maxClientRequests: this.options.settings.maxClientRequests,
      busyPoll: this.busyPoll,
      log: (m) => log.debug(`${how.label} client: ${m}`),
      onClose: () => {
        this.clients.delete(socket);
        log.debug(`${how.label} client gone (${this.clients.size} connected)`);
        this.armIdleTimer();
      },
    });
  }

  private armIdleTimer(): void {
    const t = this.options.timeoutSeconds;
    if (!t || t <= 0 || this.clients.size > 0 || this.stopping) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.options.logger.info(`no clients for ${t} s: exiting`);
      void this.stop();
    }, t * 1000);
  }

  /** Stop accepting, drop every client (their connections close), remove sockets and pid file. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      const closing = this.servers.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve())));
      const gone = [...this.clients].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.destroyed) return resolve();
            c.once('close', () => resolve());
            c.destroy();
          }),
      );
      await Promise.all([...closing, ...gone]);
      // Let the sessions finish closing their hypervisor connections.
      await new Promise((r) => setImmediate(r));
      for (const { path } of this.servers) if (path) await unlink(path).catch(() => {});
      if (this.options.pidFile) await releasePidFile(this.options.pidFile);
      this.options.logger.info('shut down');
    })();
    return this.stopping;
  }

  /** Resolves when stop() has finished. */
  get stopped(): Promise<void> | undefined {
    return this.stopping;
  }
}
