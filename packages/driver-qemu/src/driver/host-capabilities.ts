/**
 * The host's <capabilities> for the qemu driver: the host CPU and topology from the OS, and one
 * guest entry per probed emulator with its TCG machines (and KVM when /dev/kvm is usable),
 * laid out as libvirt lays them out.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { type CapabilitiesDef, hostArch } from '@tsvirt/core';
import type { QemuAccel, QemuCaps } from '../capabilities/qemu-caps.js';

type GuestMachine = CapabilitiesDef['guests'][number]['arch']['machines'][number];

async function kvmUsable(): Promise<boolean> {
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** libvirt lists each machine by name, and an alias (pc, q35) as a machine whose canonical is the real one. */
function machinesOf(caps: QemuCaps, accel: QemuAccel): GuestMachine[] {
  const out: GuestMachine[] = [];
  for (const m of caps.accels[accel].machines) {
    out.push({ name: m.name, maxCpus: m.maxCpus, ...(m.deprecated ? { deprecated: true } : {}) });
    if (m.alias) out.push({ name: m.alias, canonical: m.name, maxCpus: m.maxCpus });
  }
  return out;
}

export async function qemuHostCapabilities(emulators: readonly QemuCaps[]): Promise<CapabilitiesDef> {
  const kvm = await kvmUsable();
  const n = Math.max(cpus().length, 1);
  return {
    host: {
      cpu: { arch: hostArch(), features: [], definition: [], pages: [4, 2048, 1048576] },
      powerManagement: [],
      iommu: false,
      migration: { live: true, uriTransports: ['tcp', 'rdma'] },
      cells: [
        {
          id: 0,
          memory: Math.floor(totalmem() / 1024),
          pages: [],
          distances: [],
          caches: [],
          cpus: Array.from({ length: n }, (_, id) => ({ id, socketId: 0, coreId: id, siblings: String(id) })),
        },
      ],
      secModels: [],
    },
    guests: emulators.map((caps) => {
      const machines = machinesOf(caps, 'tcg');
      return {
        osType: 'hvm',
        arch: {
          name: caps.arch,
          wordsize: caps.arch === 'x86_64' || caps.arch === 'aarch64' ? 64 : 32,
          emulator: caps.emulator,
          machines,
          domains: [{ type: 'qemu', machines: [] }, ...(kvm ? [{ type: 'kvm', machines: [] }] : [])],
        },
        features: [
          { name: 'acpi', default: 'on', toggle: true },
          { name: 'apic', default: 'on', toggle: false },
          { name: 'cpuselection' },
          { name: 'deviceboot' },
          { name: 'disksnapshot', default: 'on', toggle: false },
        ],
      };
    }),
  };
}
