/**
 * What tsvirt knows about one QEMU binary: the facts the probe learns over QMP and the
 * command-line builder consults. The same facts are what libvirt keeps in its capabilities
 * cache (the <qemuCaps> document), so the model follows that document's shape.
 */

/** The accelerators a binary is probed for; facts about machines and CPUs differ per accelerator. */
export const QEMU_ACCELS = ['kvm', 'tcg'] as const;
export type QemuAccel = (typeof QEMU_ACCELS)[number];

export interface QemuMachineCaps {
  readonly name: string;
  readonly alias?: string;
  readonly hotplugCpus: boolean;
  readonly maxCpus: number;
  readonly isDefault: boolean;
  /** QOM type name of the machine's default CPU, e.g. qemu64-x86_64-cpu. */
  readonly defaultCpu?: string;
  readonly numaMemSupported: boolean;
  readonly defaultRamId?: string;
  readonly deprecated: boolean;
  readonly acpi?: boolean;
}

export type CpuUsability = 'yes' | 'no' | 'unknown';

export interface QemuCpuModelCaps {
  readonly name: string;
  readonly typename?: string;
  readonly usable: CpuUsability;
  /** Features that make the model unusable on this host (from unavailable-features). */
  readonly blockers: readonly string[];
  readonly deprecated: boolean;
}

export interface QemuCpuProperty {
  readonly name: string;
  readonly type: 'boolean' | 'number' | 'string';
  readonly value: string;
  readonly migratable?: boolean;
}

export interface QemuHostCpuCaps {
  readonly model: string;
  readonly migratability: boolean;
  readonly props: readonly QemuCpuProperty[];
}

export interface QemuAccelCaps {
  readonly hostCpu?: QemuHostCpuCaps;
  readonly cpuModels: readonly QemuCpuModelCaps[];
  readonly machines: readonly QemuMachineCaps[];
}

export interface QemuCaps {
  readonly emulator: string;
  /** ctime of the binary (seconds) when probed: the cache key together with the path. */
  readonly qemuCtime: number;
  readonly selfCtime: number;
  readonly selfVers: number;
  /** libvirt's capability flag names (virQEMUCapsFlags spelling, e.g. 'virtio-scsi-pci'). */
  readonly flags: ReadonlySet<string>;
  /** major * 1,000,000 + minor * 1,000 + micro, e.g. 10000000 for 10.0.0. */
  readonly version: number;
  readonly kvmVersion?: number;
  readonly microcodeVersion?: number;
  readonly package: string;
  readonly arch: string;
  readonly accels: Readonly<Record<QemuAccel, QemuAccelCaps>>;
  /** Hyper-V enlightenments the host supports, undefined when not probed. */
  readonly hyperv?: { readonly supported: boolean; readonly caps: readonly string[] };
}

export function hasFlag(caps: QemuCaps, flag: string): boolean {
  return caps.flags.has(flag);
}

/** The machine a domain's `machine` attribute names (an alias such as 'pc' resolves too). */
export function findMachine(caps: QemuCaps, accel: QemuAccel, name: string): QemuMachineCaps | undefined {
  const machines = caps.accels[accel].machines;
  return machines.find((m) => m.name === name) ?? machines.find((m) => m.alias === name);
}

/** The machine QEMU uses when none is given, undefined when the binary has none marked. */
export function defaultMachine(caps: QemuCaps, accel: QemuAccel): QemuMachineCaps | undefined {
  return caps.accels[accel].machines.find((m) => m.isDefault);
}

export function formatQemuVersion(version: number): string {
  return `${Math.floor(version / 1_000_000)}.${Math.floor(version / 1000) % 1000}.${version % 1000}`;
}
