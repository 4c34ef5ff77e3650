/**
 * thread-context objects: QEMU preallocates guest memory from threads it creates inside such a
 * context, so libvirt gives a preallocated backend bound to host NUMA nodes a context with the
 * same node affinity (narrowed to the nodes the emulator threads may run on) before the backend.
 */
import { parseSet } from './memory.js';
import { Props } from './props.js';
import type { BuildState } from './state.js';

/** The host nodes whose CPUs the emulator threads may use; undefined when they are not pinned. */
function emulatorNodes(s: BuildState): number[] | undefined {
  const { def } = s;
  if (def.vcpu.placement === 'auto') return undefined;
  const pin = def.cputune?.emulatorpin ?? def.vcpu.cpuset;
  const topology = s.ctx.hostNumaNodes;
  if (pin === undefined || topology === undefined) return undefined;
  const cpus = new Set(parseSet(pin));
  return topology.filter((n) => n.cpus.some((c) => cpus.has(c))).map((n) => n.id);
}

/** Adds the thread-context for `backend` when it needs one and points the backend at it. */
export function addThreadContext(s: BuildState, backend: Props): void {
  if (!s.has('thread-context') || backend.bag.prealloc !== true) return;
  const hostNodes = backend.bag['host-nodes'];
  if (!Array.isArray(hostNodes)) return;
  const allowed = emulatorNodes(s);
  const affinity = (hostNodes as number[]).filter((n) => allowed === undefined || allowed.includes(n));
  if (affinity.length === 0) return;
  const id = `tc-${String(backend.bag.id)}`;
  s.object(new Props().set('qom-type', 'thread-context').set('id', id).set('node-affinity', affinity));
  backend.set('prealloc-context', id);
}
