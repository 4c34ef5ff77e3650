/**
 * CPU facts: the models query-cpu-definitions lists, the host CPU as query-cpu-model-expansion
 * expands it (with per-feature migratability), and the Hyper-V enlightenments a full expansion
 * with hv-passthrough reveals.
 */
import type { QmpCpuDefinitionInfo, QmpCpuModelExpansionInfo, QmpPeer } from '../qmp/types.js';
import { callOr, isArm, isX86, type ProbeAccel, type ProbeState } from './probe-state.js';
import { HYPERV_FEATURES } from './probe-tables.js';
import type { QemuCpuModelCaps, QemuCpuProperty } from './qemu-caps.js';

export async function probeCpuDefinitions(peer: QmpPeer, state: ProbeState, accel: ProbeAccel): Promise<void> {
  if (!state.flags.has('query-cpu-definitions')) return;
  const defs = await callOr<QmpCpuDefinitionInfo[] | undefined>(
    peer,
    'query-cpu-definitions',
    undefined,
    ['GenericError'],
    undefined,
  );
  if (!defs) return;
  accel.cpuModels = defs.map((d): QemuCpuModelCaps => {
    const unavailable = d['unavailable-features'];
    return {
      name: d.name,
      ...(d.typename ? { typename: d.typename } : {}),
      usable: unavailable === undefined ? 'unknown' : unavailable.length === 0 ? 'yes' : 'no',
      // Kept in QEMU's spelling, as libvirt 11 records them.
      blockers: [...(unavailable ?? [])],
      deprecated: d.deprecated === true,
    };
  });
  if (accel.cpuModels.some((m) => m.name === 'max')) state.flags.add('cpu-max');
}

type ExpansionType = 'static' | 'full';

async function expand(
  peer: QmpPeer,
  type: ExpansionType,
  name: string,
  props: Record<string, unknown> | undefined,
): Promise<QmpCpuModelExpansionInfo | undefined> {
  // QEMU answers GenericError when it cannot expand this model here (e.g. 'host' without KVM).
  return callOr<QmpCpuModelExpansionInfo | undefined>(
    peer,
    'query-cpu-model-expansion',
    { type, model: props ? { name, props } : { name } },
    ['GenericError'],
    undefined,
  );
}

function toProperties(props: Readonly<Record<string, unknown>> | undefined): QemuCpuProperty[] {
  const out: QemuCpuProperty[] = [];
  for (const [name, value] of Object.entries(props ?? {})) {
    if (typeof value === 'boolean') out.push({ name, type: 'boolean', value: String(value) });
    else if (typeof value === 'string') out.push({ name, type: 'string', value });
    else if (typeof value === 'number') out.push({ name, type: 'number', value: String(value) });
  }
  return out;
}

/**
 * Marks each boolean feature migratable or not by comparing the migratable expansion with the
 * one that allows non-migratable features: a feature only the latter enables is kept, marked 'no'.
 */
function mergeMigratability(props: QemuCpuProperty[], nonMigratable: QemuCpuProperty[]): QemuCpuProperty[] {
  const other = new Map(nonMigratable.map((p) => [p.name, p]));
  return props.map((p) => {
    const nm = other.get(p.name);
    if (p.type !== 'boolean' || !nm || nm.type !== 'boolean') return p;
    if (p.value === 'true') return { ...p, migratable: true };
    if (nm.value === 'true') return { ...p, value: 'true', migratable: false };
    return p;
  });
}

function hypervFromExpansion(props: Readonly<Record<string, unknown>>): string[] | undefined {
  const found = new Set<string>();
  for (const [prop, value] of Object.entries(props)) {
    if (!prop.startsWith('hv-')) continue;
    const base = prop.slice(3);
    const name = HYPERV_FEATURES.includes(base) ? base : base.replaceAll('-', '_');
    if (!HYPERV_FEATURES.includes(name)) continue;
    const on =
      value === true || (typeof value === 'number' && value > 0) || (typeof value === 'string' && value !== '');
    if (on) found.add(name);
  }
  return found.size > 0 ? HYPERV_FEATURES.filter((f) => found.has(f)) : undefined;
}

export async function probeHostCpu(
  peer: QmpPeer,
  state: ProbeState,
  accel: ProbeAccel,
  accelerated: boolean,
): Promise<void> {
  if (!state.flags.has('query-cpu-model-expansion')) return;
  const model = accelerated ? 'host' : 'max';
  // Older x86 QEMUs spell some features differently only in a full expansion, so without
  // canonical names the static result is expanded once more in full.
  const staticThenFull = isX86(state.arch) && !state.flags.has('canonical-cpu-features');
  const type: ExpansionType = isArm(state.arch) ? 'full' : 'static';

  const migratableReply = await expandMaybeFull(peer, type, model, undefined, staticThenFull);
  if (!migratableReply) return;
  let props = toProperties(migratableReply.model.props);
  let migratability = false;
  if (isX86(state.arch)) {
    const nonMigratable = await expandMaybeFull(peer, type, model, { migratable: false }, staticThenFull);
    if (nonMigratable) {
      props = mergeMigratability(props, toProperties(nonMigratable.model.props));
      migratability = true;
    }
  }
  if (accelerated && (isX86(state.arch) || isArm(state.arch))) {
    const full = await expand(peer, 'full', model, { migratable: false, 'hv-passthrough': true });
    const caps = full ? hypervFromExpansion(full.model.props ?? {}) : undefined;
    if (caps) state.hyperv = { supported: true, caps };
  }
  accel.hostCpu = { model: migratableReply.model.name, migratability, props };
}

async function expandMaybeFull(
  peer: QmpPeer,
  type: ExpansionType,
  name: string,
  props: Record<string, unknown> | undefined,
  thenFull: boolean,
): Promise<QmpCpuModelExpansionInfo | undefined> {
  const first = await expand(peer, type, name, props);
  if (!first || !thenFull) return first;
  return expand(peer, 'full', first.model.name, { ...(first.model.props ?? {}) });
}
