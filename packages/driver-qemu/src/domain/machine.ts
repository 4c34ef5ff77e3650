/** Machine-type and architecture questions the qemu post-parse and address rules keep asking. */
import type { DomainDef } from '@tsvirt/core';
import { findMachine, type QemuAccel, type QemuCaps } from '../capabilities/qemu-caps.js';

export function isX86(def: DomainDef): boolean {
  return def.os.arch === 'x86_64' || def.os.arch === 'i686';
}

/** PC machines built on the i440FX/PIIX3 chipset ('pc', 'pc-i440fx-*', the old 'pc-0.x'/'pc-1.x'). */
export function isI440fx(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'pc' || /^pc-(i440fx-|0\.|1\.)/.test(m) || m.startsWith('rhel');
}

export function isQ35(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'q35' || m.startsWith('pc-q35-');
}

/** Machines QEMU builds without a PCI bus. */
export function isPcLess(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'isapc' || m === 'microvm';
}

/** The accelerator whose facts apply: KVM for type='kvm', TCG otherwise. */
export function accelOf(def: DomainDef): QemuAccel {
  return def.type === 'kvm' ? 'kvm' : 'tcg';
}

/** The CPU model QEMU gives the domain's machine when none is asked for ('qemu64'), if known. */
export function machineDefaultCpu(caps: QemuCaps, def: DomainDef): string | undefined {
  const m = def.os.machine ? findMachine(caps, accelOf(def), def.os.machine) : undefined;
  const typename = m?.defaultCpu;
  if (!typename) return undefined;
  const suffix = `-${caps.arch}-cpu`;
  return typename.endsWith(suffix) ? typename.slice(0, -suffix.length) : typename;
}
