/**
 * Typed model of libvirt's capabilities XML (formatcaps): the host (CPU, power management,
 * IOMMU, migration, NUMA topology, security models) and the guest types it can run.
 * Rarely used host parts (cache banks, memory bandwidth, NUMA interconnects, the CPU model
 * details) are kept verbatim as parsed elements.
 */
import type { XmlElement } from '../adapter.js';

export const POWER_MANAGEMENT_TARGETS = ['suspend_mem', 'suspend_disk', 'suspend_hybrid'] as const;
export type PowerManagementTarget = (typeof POWER_MANAGEMENT_TARGETS)[number];

export interface HostCpu {
  arch: string;
  /** Host CPU flags listed under <features> (pae, nonpae, vmx, svm...). */
  features: string[];
  /** The CPU definition: <model>, <vendor>, <microcode>, <signature>, <counter>, <topology>, <maxphysaddr>, <feature>..., verbatim. */
  definition: XmlElement[];
  /** Supported page sizes, KiB. */
  pages: number[];
}

export interface HostNumaCpu {
  id: number;
  socketId?: number;
  dieId?: number;
  clusterId?: number;
  coreId?: number;
  siblings?: string;
}

export interface HostNumaCell {
  id: number;
  /** KiB. */
  memory?: number;
  /** Free pages per size (KiB). */
  pages: Array<{ size: number; count: number }>;
  distances: Array<{ id: number; value: number }>;
  /** <cache> elements of the cell, verbatim. */
  caches: XmlElement[];
  /** Undefined when the cell has no <cpus> element. */
  cpus?: HostNumaCpu[];
}

export interface SecModel {
  model: string;
  doi: string;
  baseLabels: Array<{ type: string; label: string }>;
}

export interface HostCaps {
  uuid?: string;
  cpu: HostCpu;
  /** Absent: not reported; empty: no suspend support. */
  powerManagement?: PowerManagementTarget[];
  iommu?: boolean;
  migration?: { live: boolean; uriTransports: string[] };
  cells?: HostNumaCell[];
  /** <interconnects> of the NUMA topology, verbatim. */
  interconnects?: XmlElement;
  /** <cache> (host cache banks), verbatim. */
  cache?: XmlElement;
  /** <memory_bandwidth>, verbatim. */
  memoryBandwidth?: XmlElement;
  secModels: SecModel[];
}

export interface GuestMachine {
  name: string;
  canonical?: string;
  maxCpus?: number;
  deprecated?: boolean;
}

export interface GuestDomain {
  type: string;
  emulator?: string;
  machines: GuestMachine[];
}

export interface GuestFeature {
  name: string;
  /** Default state, for features that can be toggled (acpi, apic, disksnapshot). */
  default?: 'on' | 'off';
  toggle?: boolean;
}

export interface GuestCaps {
  osType: string;
  arch: {
    name: string;
    wordsize?: number;
    emulator?: string;
    loader?: string;
    machines: GuestMachine[];
    domains: GuestDomain[];
  };
  /** Absent: no <features> element. */
  features?: GuestFeature[];
}

export interface CapabilitiesDef {
  host: HostCaps;
  guests: GuestCaps[];
}
