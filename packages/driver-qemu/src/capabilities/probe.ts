/**
 * The capability probe: the QMP conversation libvirt holds with a freshly started QEMU
 * (`-machine none -S`), turned into a QemuCaps. It talks only to a QmpPeer, so the same code
 * runs against a live monitor and against a recorded transcript.
 */
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import type {
  QmpCommandLineOptionInfo,
  QmpMigrationCapabilityStatus,
  QmpObjectTypeInfo,
  QmpPeer,
  QmpPropertyInfo,
  QmpSchemaEntry,
  QmpVersionInfo,
} from '../qmp/types.js';
import { sortQemuFlags } from './flag-order.js';
import { probeCpuDefinitions, probeHostCpu } from './probe-cpu.js';
import { probeMachineProps, probeMachines } from './probe-machines.js';
import { call, callOr, newProbeState, type ProbeAccel, type ProbeState } from './probe-state.js';
import {
  COMMAND_FLAGS,
  COMMAND_LINE_FLAGS,
  DEVICE_PROPS,
  MIGRATION_FLAGS,
  OBJECT_PROPS,
  OBJECT_TYPE_FLAGS,
  RETIRED_FLAGS,
  SCHEMA_FLAGS,
  TPM_MODEL_FLAGS,
  TPM_TYPE_FLAGS,
} from './probe-tables.js';
import { QapiSchema } from './qapi-schema.js';
import type { QemuCaps } from './qemu-caps.js';

/** The oldest QEMU libvirt's probe accepts. */
export const QEMU_MIN_VERSION = { major: 4, minor: 2, micro: 0 } as const;

export interface QemuProbeOptions {
  readonly emulator: string;
  /** ctime (seconds) of the binary; part of the cache key. */
  readonly qemuCtime?: number;
  readonly selfCtime?: number;
  readonly selfVers?: number;
  /** The host's CPU microcode version, recorded when the binary has an accelerator. */
  readonly microcodeVersion?: number;
}

/** How to reach QEMU: the first monitor, and (only asked for when KVM is there) a TCG-only one. */
export interface QemuProbePeers {
  readonly main: QmpPeer;
  /** Opens a monitor to the binary started with accel=tcg, for the TCG machine/CPU facts. */
  readonly tcg?: () => Promise<QmpPeer>;
}

const QEMU_ARCH_NAMES: Readonly<Record<string, string>> = { i386: 'i686', arm: 'armv7l' };

/** Runs libvirt's whole probe and returns the capabilities. */
export async function probeQemuCaps(peers: QemuProbePeers, options: QemuProbeOptions): Promise<QemuCaps> {
  const state = newProbeState();
  await probeMain(peers.main, state);
  const hasKvm = state.flags.has('kvm');
  if (hasKvm && state.flags.has('tcg') && peers.tcg) await probeTcg(await peers.tcg(), state);
  return freeze(state, options, hasKvm);
}

/** The first conversation: everything, with machines and CPUs recorded for the best accelerator. */
export async function probeMain(peer: QmpPeer, state: ProbeState): Promise<void> {
  const version = await call<QmpVersionInfo>(peer, 'query-version');
  checkVersion(version);
  const { major, minor, micro } = version.qemu;
  state.version = major * 1_000_000 + minor * 1000 + micro;
  state.package = version.package;
  state.arch = await probeArch(peer);
  if (state.version < 5_002_000) state.flags.add('enable-fips');

  await probeSchema(peer, state);
  const kvm = await callOr(peer, 'query-kvm', undefined, ['CommandNotFound'], { enabled: false, present: false });
  if (kvm.present && kvm.enabled) state.flags.add('kvm');
  const accelerated = state.flags.has('kvm');
  const accel: ProbeAccel = accelerated ? state.accels.kvm : state.accels.tcg;

  await probeObjectTypes(peer, state);
  await probeDeviceProps(peer, state);
  await probeObjectProps(peer, state);
  await probeMachines(peer, state, accel);
  await probeMachineProps(peer, state, accel);
  await probeCpuDefinitions(peer, state, accel);
  await probeTpm(peer, state);
  await probeCommandLine(peer, state);
  await probeMigration(peer, state);
  await probeSecureGuests(peer, state);
  deriveFlags(state);
  // From here on the probe only reads flags.
  await probeHostCpu(peer, state, accel, accelerated);
}

/** The second conversation, with QEMU started accel=tcg: CPUs and machines as TCG sees them. */
export async function probeTcg(peer: QmpPeer, state: ProbeState): Promise<void> {
  await probeCpuDefinitions(peer, state, state.accels.tcg);
  await probeHostCpu(peer, state, state.accels.tcg, false);
  await probeMachines(peer, state, state.accels.tcg);
}

function checkVersion(version: QmpVersionInfo): void {
  const { major, minor, micro } = version.qemu;
  const min = QEMU_MIN_VERSION;
  if (major < min.major || (major === min.major && minor < min.minor)) {
    throw new VirError({
      code: ErrorCode.CONFIG_UNSUPPORTED,
      domain: ErrorDomain.QEMU,
      detail: `QEMU version >= ${min.major}.${min.minor}.${min.micro} is required, but ${major}.${minor}.${micro} found`,
    });
  }
}

async function probeArch(peer: QmpPeer): Promise<string> {
  const { arch } = await call<{ arch: string }>(peer, 'query-target');
  if (!arch) {
    throw new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.QEMU, detail: 'Unknown QEMU arch' });
  }
  return QEMU_ARCH_NAMES[arch] ?? arch;
}

async function probeSchema(peer: QmpPeer, state: ProbeState): Promise<void> {
  const schema = new QapiSchema(await call<QmpSchemaEntry[]>(peer, 'query-qmp-schema'));
  for (const [path, flag] of SCHEMA_FLAGS) if (schema.has(path)) state.flags.add(flag);
  for (const [command, flag] of COMMAND_FLAGS) if (schema.has(command)) state.flags.add(flag);
}

async function probeObjectTypes(peer: QmpPeer, state: ProbeState): Promise<void> {
  const types = new Set((await call<QmpObjectTypeInfo[]>(peer, 'qom-list-types')).map((t) => t.name));
  for (const [type, flag] of OBJECT_TYPE_FLAGS) if (types.has(type)) state.flags.add(flag);
}

async function probeDeviceProps(peer: QmpPeer, state: ProbeState): Promise<void> {
  for (const device of DEVICE_PROPS) {
    if (device.condition && !state.flags.has(device.condition)) continue;
    const props = await callOr<QmpPropertyInfo[]>(
      peer,
      'device-list-properties',
      { typename: device.device },
      ['DeviceNotFound'],
      [],
    );
    const byName = new Map(props.map((p) => [p.name, p]));
    for (const want of device.props) {
      const found = byName.get(want.prop);
      if (!found) continue;
      state.flags.add(want.flag);
      if (want.flagIfDefaultFalse && found['default-value'] === false) state.flags.add(want.flagIfDefaultFalse);
    }
  }
}

async function probeObjectProps(peer: QmpPeer, state: ProbeState): Promise<void> {
  for (const object of OBJECT_PROPS) {
    if (object.condition && !state.flags.has(object.condition)) continue;
    const props = await callOr<QmpPropertyInfo[]>(
      peer,
      'qom-list-properties',
      { typename: object.type },
      ['DeviceNotFound'],
      [],
    );
    const names = new Set(props.map((p) => p.name));
    for (const [prop, flag] of object.props) if (names.has(prop)) state.flags.add(flag);
  }
}

async function probeTpm(peer: QmpPeer, state: ProbeState): Promise<void> {
  const models = await callOr<string[] | undefined>(
    peer,
    'query-tpm-models',
    undefined,
    ['CommandNotFound'],
    undefined,
  );
  if (!models) return;
  for (const [model, flag] of TPM_MODEL_FLAGS) if (models.includes(model)) state.flags.add(flag);
  const types = await callOr<string[] | undefined>(peer, 'query-tpm-types', undefined, ['CommandNotFound'], undefined);
  if (!types) return;
  for (const [type, flag] of TPM_TYPE_FLAGS) if (types.includes(type)) state.flags.add(flag);
}

async function probeCommandLine(peer: QmpPeer, state: ProbeState): Promise<void> {
  const options = await call<QmpCommandLineOptionInfo[]>(peer, 'query-command-line-options');
  const byOption = new Map(options.map((o) => [o.option, o]));
  for (const [option, param, flag] of COMMAND_LINE_FLAGS) {
    const entry = byOption.get(option);
    if (!entry) continue;
    if (param === undefined || entry.parameters.some((p) => p.name === param)) state.flags.add(flag);
  }
}

async function probeMigration(peer: QmpPeer, state: ProbeState): Promise<void> {
  const caps = await call<QmpMigrationCapabilityStatus[]>(peer, 'query-migrate-capabilities');
  const names = new Set(caps.map((c) => c.capability));
  for (const [capability, flag] of MIGRATION_FLAGS) if (names.has(capability)) state.flags.add(flag);
}

/** SEV and SGX objects exist in most builds; the host decides whether they work. */
async function probeSecureGuests(peer: QmpPeer, state: ProbeState): Promise<void> {
  const checks = [
    ['sev-guest', 'query-sev-capabilities'],
    ['sgx-epc', 'query-sgx-capabilities'],
  ] as const;
  for (const [flag, command] of checks) {
    if (!state.flags.has(flag)) continue;
    const caps = await callOr<unknown>(peer, command, undefined, ['GenericError'], undefined);
    if (caps === undefined) state.flags.delete(flag);
  }
}

/** Flags that follow from others rather than from a reply. */
function deriveFlags(state: ProbeState): void {
  const f = state.flags;
  if (f.has('cpu-unavailable-features')) f.add('canonical-cpu-features');
  // 'esp' is only usable built into these architectures' machines.
  if (state.arch === 'sparc' || state.arch === 'm68k' || state.arch === 'mips') f.add('ncr53c90');
  if (f.has('blockdev-reopen') && f.has('migration-param.block-bitmap-mapping')) f.add('incremental-backup');
  // -compat is not listed by query-command-line-options; QAPI-fied -object comes with it.
  if (f.has('object.qapified')) f.add('compat-deprecated');
}

function freeze(state: ProbeState, options: QemuProbeOptions, accelerated: boolean): QemuCaps {
  const flags = new Set(sortQemuFlags([...state.flags].filter((f) => !RETIRED_FLAGS.has(f))));
  return {
    emulator: options.emulator,
    qemuCtime: options.qemuCtime ?? 0,
    selfCtime: options.selfCtime ?? 0,
    selfVers: options.selfVers ?? 0,
    flags,
    version: state.version,
    ...(accelerated && options.microcodeVersion !== undefined ? { microcodeVersion: options.microcodeVersion } : {}),
    package: state.package,
    arch: state.arch,
    accels: state.accels,
    ...(state.hyperv ? { hyperv: state.hyperv } : {}),
  };
}
