/** One open qemu:/// connection: the hypervisor API over the shared driver state. */
import { hostname } from 'node:os';
import {
  type CapabilitiesDef,
  checkFlags,
  DomainConsoleFlags,
  type DomainRef,
  type DriverConnection,
  ErrorCode,
  ErrorDomain,
  type EventSource,
  type HypervisorDriver,
  type NetworkDriver,
  VirError,
} from '@tsvirt/core';
import { QemuBulkStats } from './bulk-stats.js';
import { openGuestConsole } from './console.js';
import type { QemuDriverState } from './driver-state.js';
import { QemuHotplug } from './hotplug.js';
import { monitorCommand } from './monitor-passthrough.js';
import { qemuHostStats, qemuNodeCpuMap } from './node-stats.js';
import { QemuStats } from './stats.js';

/** The version virConnectGetVersion reports: the default emulator's, as libvirt does. */
export type VersionSource = () => Promise<number>;

export class QemuConnection implements DriverConnection {
  readonly hypervisor: HypervisorDriver;
  readonly events: EventSource;
  readonly domainXml;
  private closed = false;

  constructor(
    private readonly state: QemuDriverState,
    private readonly uri: string,
    version: VersionSource,
    private readonly onClose: () => void,
    /** Where the host's proc and sys trees are read from (config.hostRoot; '/' on a real host). */
    hostRoot = '/',
  ) {
    const domains = state.domains;
    const stats = new QemuStats(state.table);
    this.events = { subscribe: (listener) => state.subscribe(listener) };
    this.domainXml = { hooks: state.backends.domainXmlHooks, defaultArch: 'x86_64' };
    this.hypervisor = {
      getType: () => 'QEMU',
      getVersion: version,
      getCapabilities: (): Promise<CapabilitiesDef> => state.backends.hostCapabilities(),
      getDomainCapabilities: (query, flags) => state.backends.domainCapabilities(query, flags),
      domainXmlToNative: async (format, xml, flags) => {
        checkFlags(flags, 0, 'qemuConnectDomainXMLToNative', ErrorDomain.QEMU);
        if (format !== 'qemu-argv') {
          throw new VirError({
            code: ErrorCode.INVALID_ARG,
            domain: ErrorDomain.QEMU,
            detail: `unsupported config type ${format}`,
          });
        }
        return state.backends.nativeArgv(xml);
      },
      getHostname: async () => hostname(),
      listDomains: (flags: number) => domains.list(flags),
      lookupDomain: (by) => domains.lookup(by),
      getDomainXml: (ref: DomainRef, flags: number) => domains.getXml(ref, flags),
      lifecycle: domains,
      saveRestore: state.saveRestore,
      snapshots: state.snapshots,
      hotplug: new QemuHotplug(domains),
      stats: {
        blockStats: (ref, disk) => stats.blockStats(ref, disk),
        blockStatsFlags: (ref, disk, flags) => stats.blockStatsFlags(ref, disk, flags),
        interfaceStats: (ref, iface) => stats.interfaceStats(ref, iface),
      },
      bulkStats: new QemuBulkStats(domains),
      hostStats: qemuHostStats(hostRoot),
      getCPUMap: (flags: number) => qemuNodeCpuMap(hostRoot, flags),
      monitor: {
        command: (ref, command, flags) => monitorCommand(state.table, ref, command, flags),
      },
      console: {
        open: (ref, device, flags) => {
          checkFlags(
            flags,
            DomainConsoleFlags.FORCE | DomainConsoleFlags.SAFE,
            'qemuDomainOpenConsole',
            ErrorDomain.QEMU,
          );
          return openGuestConsole(state.table, ref, device, flags);
        },
      },
    };
  }

  /** The shared network driver core paired with this connection plugs guest NICs. */
  useNetworkDriver(network: NetworkDriver | undefined): void {
    if (network) this.state.domains.network = network;
    void this.state.networkDriverSettled();
  }

  getUri(): string {
    return this.uri;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
