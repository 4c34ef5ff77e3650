/**
 * The state behind qemu:/// connections to one set of directories: the domain table, loaded
 * from the stored definitions and status files when the first connection opens. Connections to
 * the same root share it; once the last one closes, the driver detaches from running guests
 * (they keep running) and the next open reconnects to them.
 */
import { type DomainDef, type DomainXmlHooks, type DriverEvent, formatDomainXml, parseDomainXml } from '@tsvirt/core';
import type { QemuBackends } from './backends.js';
import { ConfigStore } from './config-store.js';
import { inactiveState } from './domain-object.js';
import { DomainTable } from './domain-table.js';
import { QemuDomains } from './domains.js';
import { DriverLock } from './driver-lock.js';
import { hasNetworkNic } from './network-ports.js';
import type { QemuPaths } from './paths.js';
import { mkdirPrivate } from './private-dir.js';
import { reconnectGuests } from './reconnect.js';
import { QemuSaveRestore } from './save-restore.js';
import { SnapshotStore } from './snapshot-store.js';
import { QemuSnapshots } from './snapshots.js';
import { StatusFiles } from './status-file.js';

export class QemuDriverState {
  readonly table = new DomainTable();
  readonly domains: QemuDomains;
  private readonly listeners = new Set<(event: DriverEvent) => void>();
  private readonly configs: ConfigStore;
  private readonly status: StatusFiles;
  private readonly lock: DriverLock;
  private readonly awaitingNetwork: string[] = [];

  constructor(
    readonly paths: QemuPaths,
    readonly backends: QemuBackends,
    private readonly warn: (message: string) => void,
    netns?: string,
  ) {
    this.lock = new DriverLock(paths.stateDir);
    const hooks: DomainXmlHooks | undefined = backends.domainXmlHooks;
    const parse = (xml: string, live: boolean): DomainDef =>
      parseDomainXml(xml, { ...(hooks ? { hooks } : {}), flags: live ? { status: true } : { inactive: true } });
    this.configs = new ConfigStore(
      paths,
      (def) => formatDomainXml(def, { inactive: true, secure: true, ...(hooks ? { hooks } : {}) }),
      (xml) => parse(xml, false),
    );
    this.status = new StatusFiles(
      paths,
      (def) => formatDomainXml(def, { secure: true, ...(hooks ? { hooks } : {}) }),
      (xml) => parse(xml, true),
    );
    this.domains = new QemuDomains({
      paths,
      table: this.table,
      configs: this.configs,
      status: this.status,
      backends,
      ...(netns ? { netns } : {}),
      emit: (event) => {
        for (const l of this.listeners) l(event);
      },
      parseDef: (xml) => parse(xml, false),
      formatDef: (def) => formatDomainXml(def, { inactive: true, secure: true, ...(hooks ? { hooks } : {}) }),
    });
    this.saveRestore = new QemuSaveRestore(this.domains, this.table, paths);
    this.snapshots = new QemuSnapshots(this.domains, new SnapshotStore(paths));
    this.domains.snapshots = this.snapshots;
    this.domains.saveRestore = this.saveRestore;
  }

  readonly saveRestore: QemuSaveRestore;
  readonly snapshots: QemuSnapshots;

  subscribe(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Load definitions, take back running guests, start autostart guests that are not running. */
  async load(): Promise<void> {
    for (const dir of [this.paths.configDir, this.paths.stateDir, this.paths.libDir, this.paths.logDir]) {
      await mkdirPrivate(dir);
    }
    this.lock.acquire();
    try {
      await this.loadGuests();
    } catch (err) {
      this.lock.release();
      throw err;
    }
  }

  private async loadGuests(): Promise<void> {
    const stored = await this.configs.loadAll(this.warn);
    for (const { def, autostart } of stored) {
      const hasManagedSave = this.saveRestore.hasImage(def.name);
      this.table.add({ def, persistent: true, autostart, hasManagedSave, ...inactiveState() });
    }
    const statuses = await this.status.loadAll(this.warn);
    await reconnectGuests(
      statuses,
      this.table,
      this.domains,
      this.backends,
      new Set(stored.map((s) => s.def.name)),
      this.warn,
    );
    for (const d of this.table.all()) {
      if (!d.autostart || d.id >= 0) continue;
      // A guest on a virtual network waits until core has paired the network driver.
      if (hasNetworkNic(d.def) && !this.domains.network) this.awaitingNetwork.push(d.def.name);
      else await this.autostart(d.def.name);
    }
  }

  /**
   * Core has paired (or found no) network driver: start the autostart guests that waited for
   * it. Without one their start fails, with libvirt's autostart warning, as it would there.
   */
  async networkDriverSettled(): Promise<void> {
    const names = this.awaitingNetwork.splice(0);
    for (const name of names) await this.autostart(name);
  }

  private async autostart(name: string): Promise<void> {
    const d = this.table.all().find((x) => x.def.name === name);
    if (!d || d.id >= 0) return;
    await this.domains.create({ name, uuid: d.def.uuid, id: -1 }, 0).catch((err: Error) => {
      this.warn(`Failed to autostart VM '${name}': ${err.message}`);
    });
  }

  detach(): void {
    this.domains.detachAll();
    this.lock.release();
  }
}
