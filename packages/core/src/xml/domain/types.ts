/**
 * Typed model of libvirt's domain XML. Sizes are normalised to KiB, as libvirt stores them.
 * Each element family's types live beside its parser and formatter; this file assembles them.
 */
import type { ClockDef } from './clock.js';
import type { CpuDef } from './cpu.js';
import type { CpuTune } from './cputune.js';
import type { DomainDevices } from './devices/index.js';
import type { DomainFeatures } from './features.js';
import type { DomainMetadata } from './general.js';
import type { Lifecycle } from './lifecycle.js';
import type { MaxMemory, MemoryBacking, MemTune } from './memory.js';
import type { OsConfig } from './os.js';
import type { LaunchSecurity, Seclabel } from './security.js';
import type { Sysinfo } from './sysinfo.js';
import type { ThrottleGroup } from './throttle.js';
import type { BlkioTune, NumaTune, ResourceDef } from './tuning.js';
import type { IOThreadId, VcpuConfig, VcpuState } from './vcpu.js';

export const DOMAIN_TYPES = [
  'none',
  'qemu',
  'kqemu',
  'kvm',
  'xen',
  'lxc',
  'uml',
  'openvz',
  'test',
  'vmware',
  'hyperv',
  'vbox',
  'phyp',
  'parallels',
  'bhyve',
  'vz',
  'ch',
  'hvf',
] as const;
export type DomainType = (typeof DOMAIN_TYPES)[number];

export interface DomainDef {
  /** Hypervisor type attribute: 'kvm', 'qemu', 'test', ... */
  type: string;
  /** Live id; -1 (or absent) for an inactive definition. */
  id?: number;
  name: string;
  uuid: string;
  genid?: { value: string; generated: boolean };
  title?: string;
  description?: string;
  metadata?: DomainMetadata;
  maxMemory?: MaxMemory;
  /** <memory>, KiB. */
  memory: number;
  memoryDumpCore?: boolean;
  /** <currentMemory>, KiB. */
  currentMemory: number;
  blkiotune?: BlkioTune;
  memtune?: MemTune;
  memoryBacking?: MemoryBacking;
  vcpu: VcpuConfig;
  /** Individual vCPU states, when <vcpus> was given. */
  vcpus?: VcpuState[];
  iothreads?: number;
  iothreadids?: IOThreadId[];
  cputune?: CpuTune;
  numatune?: NumaTune;
  resource?: ResourceDef;
  /** <throttlegroups>: I/O limits shared by the disks that name them. */
  throttleGroups?: ThrottleGroup[];
  sysinfo?: Sysinfo[];
  bootloader?: string;
  bootloaderArgs?: string;
  os: OsConfig;
  /** <idmap> (containers), kept as written. */
  idmap?: import('../adapter.js').XmlElement;
  features?: DomainFeatures;
  cpu?: CpuDef;
  clock?: ClockDef;
  lifecycle?: Lifecycle;
  pm?: { suspendToMem?: boolean; suspendToDisk?: boolean };
  perf?: Array<{ name: string; enabled: boolean }>;
  devices: DomainDevices;
  seclabels?: Seclabel[];
  keywrap?: Array<{ name: 'aes' | 'dea'; state: boolean }>;
  launchSecurity?: LaunchSecurity;
  /** A driver's own XML (e.g. <qemu:commandline>), as its namespace hook parsed it. */
  namespaceData?: { uri: string; prefix: string; data: unknown };
}
