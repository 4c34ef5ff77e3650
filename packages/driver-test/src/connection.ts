import { hostname } from 'node:os';
import type {
  CapabilitiesDef,
  DomainDef,
  DomainLookup,
  DomainRef,
  DriverConnection,
  EventSource,
  HypervisorDriver,
  NodeInfo,
} from '@tsvirt/core';
import { TestBulkStats } from './bulk-stats.js';
import { TestCheckpoints } from './checkpoints.js';
import { TestCpuTuning } from './cpu-tuning.js';
import { TestDomains } from './domains.js';
import { TestGuestInfo } from './guest-info.js';
import { TestInterfaces } from './interfaces.js';
import { TestIOThreads } from './iothreads.js';
import { TestNetworks } from './networks.js';
import { TEST_DEFAULT_ARCH, TEST_HV_VERSION, TEST_MAX_VCPUS, TEST_SYSINFO } from './node-info.js';
import { DEFAULT_CELL_FREE_MEMORY, testHostStats, totalFreeMemory } from './node-stats.js';
import { TestSaveRestore } from './save-restore.js';
import { TestSnapshots } from './snapshots.js';
import type { TestState } from './state.js';
import { TestStats } from './stats.js';
import { TestStorage } from './storage.js';
import { TestTuning } from './tuning-params.js';

/** One open connection onto a TestState (shared for test:///default, private for node files). */
export class TestConnection implements DriverConnection {
  readonly hypervisor: HypervisorDriver;
  readonly network: TestNetworks;
  readonly storage: TestStorage;
  readonly interfaces: TestInterfaces;
  readonly events: EventSource;
  readonly domainXml = { defaultArch: TEST_DEFAULT_ARCH };
  private closed = false;

  constructor(
    state: TestState,
    private readonly uri: string,
    private readonly onClose: () => void,
  ) {
    const domains = new TestDomains(state);
    const findDomain = (ref: DomainRef) => state.domains.find(ref);
    const cpuTuning = new TestCpuTuning(state);
    // Only libvirt's built-in default host has NUMA cells; node files give none.
    const cells = uri === 'test:///default' ? DEFAULT_CELL_FREE_MEMORY : [];
    this.network = new TestNetworks(state);
    this.storage = new TestStorage(state);
    this.interfaces = new TestInterfaces(state);
    this.events = { subscribe: (listener) => state.subscribe(listener) };
    this.hypervisor = {
      getType: () => 'TEST',
      getVersion: async () => TEST_HV_VERSION,
      getCapabilities: async (): Promise<CapabilitiesDef> => state.capabilities,
      getHostname: async () => hostname(),
      getNodeInfo: async (): Promise<NodeInfo> => ({ ...state.nodeInfo }),
      getMaxVcpus: async () => TEST_MAX_VCPUS,
      getFreeMemory: async () => totalFreeMemory(cells),
      getCPUMap: (flags: number) => cpuTuning.getCPUMap(flags),
      getSysinfo: async () => TEST_SYSINFO,
      // libvirt's test driver reports this security model (and no DOI).
      getSecurityModel: async () => ({ model: 'testSecurity', doi: '' }),
      listDomains: (flags: number) => domains.list(flags),
      lookupDomain: (by: DomainLookup) => domains.lookup(by),
      getDomainXml: (ref: DomainRef, flags: number): Promise<DomainDef> => domains.getXml(ref, flags),
      lifecycle: domains,
      snapshots: new TestSnapshots(state, domains),
      checkpoints: new TestCheckpoints(state),
      stats: new TestStats(state),
      cpuTuning,
      iothreads: new TestIOThreads(state),
      saveRestore: new TestSaveRestore(state, domains),
      tuning: new TestTuning(findDomain),
      guestInfo: new TestGuestInfo(findDomain),
      hostStats: testHostStats(cells),
      bulkStats: new TestBulkStats(state, domains),
    };
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
