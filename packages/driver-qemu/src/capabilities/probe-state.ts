/**
 * What the probe collects while it talks to QEMU, before it is frozen into a QemuCaps, and the
 * small helpers every probe step shares.
 */
import { isQmpError } from '../qmp/errors.js';
import type { QmpArgs, QmpPeer } from '../qmp/types.js';
import type { QemuAccel, QemuCpuModelCaps, QemuHostCpuCaps, QemuMachineCaps } from './qemu-caps.js';

export interface ProbeAccel {
  hostCpu?: QemuHostCpuCaps;
  cpuModels: QemuCpuModelCaps[];
  machines: QemuMachineCaps[];
}

export interface ProbeState {
  readonly flags: Set<string>;
  version: number;
  package: string;
  /** libvirt's architecture name (i686 for QEMU's i386). */
  arch: string;
  readonly accels: Record<QemuAccel, ProbeAccel>;
  hyperv?: { supported: boolean; caps: string[] };
}

export function newProbeState(): ProbeState {
  return {
    flags: new Set(),
    version: 0,
    package: '',
    arch: '',
    accels: { kvm: { cpuModels: [], machines: [] }, tcg: { cpuModels: [], machines: [] } },
  };
}

export function isX86(arch: string): boolean {
  return arch === 'x86_64' || arch === 'i686';
}

export function isArm(arch: string): boolean {
  return arch === 'aarch64' || arch === 'armv6l' || arch === 'armv7l' || arch === 'armv7b';
}

/** Sends a command and returns its reply as T (the peer answers untyped JSON). */
export async function call<T>(peer: QmpPeer, command: string, args?: QmpArgs): Promise<T> {
  return (await peer.execute(command, args)) as T;
}

/**
 * Like call(), but a QMP error of one of the given classes means "not there" and yields
 * `fallback`, as libvirt treats a device QEMU was built without.
 */
export async function callOr<T>(
  peer: QmpPeer,
  command: string,
  args: QmpArgs | undefined,
  classes: readonly string[],
  fallback: T,
): Promise<T> {
  try {
    return await call<T>(peer, command, args);
  } catch (err) {
    if (isQmpError(err) && classes.includes(err.qmpClass)) return fallback;
    throw err;
  }
}
