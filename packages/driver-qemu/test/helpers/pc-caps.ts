/** Hand-made capabilities of a QEMU 10.0 with only the `pc` machine, for command-line unit tests. */
import type { QemuCaps } from '../../src/index.js';

export function pcCaps(flags: readonly string[]): QemuCaps {
  return {
    emulator: '/usr/bin/qemu-system-x86_64',
    qemuCtime: 0,
    selfCtime: 0,
    selfVers: 0,
    flags: new Set(flags),
    version: 10_000_000,
    package: '',
    arch: 'x86_64',
    accels: {
      kvm: { cpuModels: [], machines: [] },
      tcg: {
        cpuModels: [],
        machines: [
          {
            name: 'pc-i440fx-10.0',
            alias: 'pc',
            hotplugCpus: true,
            maxCpus: 255,
            isDefault: true,
            numaMemSupported: true,
            defaultRamId: 'pc.ram',
            deprecated: false,
          },
        ],
      },
    },
  };
}
