/**
 * The <guest> entries of the host <capabilities> document for one QEMU binary: its machine
 * types (aliases listed with their canonical names), the domain types it can run, and the
 * guest features libvirt advertises for QEMU.
 */
import type { GuestCaps } from '@tsvirt/core';
import type { QemuCaps } from './qemu-caps.js';

type GuestMachine = GuestCaps['arch']['machines'][number];
type GuestFeature = NonNullable<GuestCaps['features']>[number];

const WORD_SIZE: Readonly<Record<string, number>> = {
  i686: 32,
  x86_64: 64,
  aarch64: 64,
  armv7l: 32,
  armv6l: 32,
  ppc64: 64,
  ppc64le: 64,
  ppc: 32,
  s390x: 64,
  riscv64: 64,
  riscv32: 32,
  mips: 32,
  mipsel: 32,
  mips64: 64,
  mips64el: 64,
  sparc: 32,
  sparc64: 64,
};

/**
 * Machines as the capabilities document lists them. Guest capabilities do not tell accelerators
 * apart, so the machines of the first accelerator probed (KVM when present) are used. An alias
 * is listed under its own name pointing at the canonical one, and the canonical name gets its
 * own entry right before it when the list has none.
 */
export function guestMachines(caps: QemuCaps): GuestMachine[] {
  const source = caps.flags.has('kvm') ? caps.accels.kvm.machines : caps.accels.tcg.machines;
  const list: GuestMachine[] = source.map((m) => ({
    name: m.alias ?? m.name,
    ...(m.alias ? { canonical: m.name } : {}),
    maxCpus: m.maxCpus,
    ...(m.deprecated ? { deprecated: true } : {}),
  }));
  const out: GuestMachine[] = [];
  for (const m of list) {
    if (m.canonical && !list.some((other) => other.name === m.canonical)) {
      out.push({ name: m.canonical, maxCpus: m.maxCpus, ...(m.deprecated ? { deprecated: true } : {}) });
    }
    out.push(m);
  }
  return out;
}

function guestFeatures(arch: string): GuestFeature[] {
  const x86 = arch === 'x86_64' || arch === 'i686';
  return [
    ...(arch === 'i686' ? [{ name: 'pae' }, { name: 'nonpae' }] : []),
    ...(x86 || arch === 'aarch64' ? [{ name: 'acpi', default: 'on' as const, toggle: true }] : []),
    ...(x86 ? [{ name: 'apic', default: 'on' as const, toggle: false }] : []),
    { name: 'cpuselection' },
    { name: 'deviceboot' },
    { name: 'disksnapshot', default: 'on', toggle: false },
  ];
}

/** The <guest> entry for `caps`' binary running guests of `guestArch` (its own arch by default). */
export function qemuGuestCaps(caps: QemuCaps, guestArch: string = caps.arch): GuestCaps {
  const domains = [
    ...(caps.flags.has('tcg') ? [{ type: 'qemu', machines: [] }] : []),
    ...(caps.flags.has('kvm') ? [{ type: 'kvm', machines: [] }] : []),
    ...(caps.flags.has('hvf') ? [{ type: 'hvf', machines: [] }] : []),
  ];
  const wordsize = WORD_SIZE[guestArch];
  return {
    osType: 'hvm',
    arch: {
      name: guestArch,
      ...(wordsize !== undefined ? { wordsize } : {}),
      emulator: caps.emulator,
      machines: guestMachines(caps),
      domains,
    },
    features: guestFeatures(guestArch),
  };
}
