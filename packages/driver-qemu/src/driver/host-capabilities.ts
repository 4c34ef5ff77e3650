/**
 * The host's <capabilities> for the qemu driver: the host CPU and topology from the OS, and one
 * guest entry per probed emulator (qemuGuestCaps), laid out as libvirt lays them out.
 */
import { cpus, totalmem } from 'node:os';
import { type CapabilitiesDef, hostArch } from '@tsvirt/core';
import { qemuGuestCaps } from '../capabilities/guest-caps.js';
import type { QemuCaps } from '../capabilities/qemu-caps.js';

export function qemuHostCapabilities(emulators: readonly QemuCaps[]): CapabilitiesDef {
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
    guests: emulators.map((caps) => qemuGuestCaps(caps)),
  };
}
