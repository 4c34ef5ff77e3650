/**
 * Machine types from query-machines, with libvirt's preferred default per architecture moved
 * to the front, and the machine properties that turn on flags.
 */
import type { QmpMachineInfo, QmpPeer, QmpPropertyInfo } from '../qmp/types.js';
import { call, callOr, type ProbeAccel, type ProbeState } from './probe-state.js';
import { MACHINE_PROPS, PREFERRED_MACHINE } from './probe-tables.js';
import type { QemuMachineCaps } from './qemu-caps.js';

function toMachine(m: QmpMachineInfo): QemuMachineCaps {
  return {
    name: m.name,
    ...(m.alias ? { alias: m.alias } : {}),
    hotplugCpus: m['hotpluggable-cpus'] === true,
    maxCpus: m['cpu-max'] ?? 0,
    isDefault: m['is-default'] === true,
    ...(m['default-cpu-type'] ? { defaultCpu: m['default-cpu-type'] } : {}),
    numaMemSupported: m['numa-mem-supported'] === true,
    ...(m['default-ram-id'] ? { defaultRamId: m['default-ram-id'] } : {}),
    deprecated: m.deprecated === true,
    ...(typeof m.acpi === 'boolean' ? { acpi: m.acpi } : {}),
  };
}

export async function probeMachines(peer: QmpPeer, state: ProbeState, accel: ProbeAccel): Promise<void> {
  const reply = await call<QmpMachineInfo[]>(peer, 'query-machines');
  // 'none' is for probing only, never a machine for a guest.
  const machines = reply.filter((m) => m.name !== 'none').map(toMachine);
  const preferred = PREFERRED_MACHINE[state.arch];
  // The last match wins, as in libvirt; without a preferred machine QEMU's default is used.
  let front = -1;
  machines.forEach((m, i) => {
    if (preferred && (m.alias === preferred || m.name === preferred)) front = i;
  });
  if (front === -1) front = machines.findLastIndex((m) => m.isDefault);
  if (front > 0) machines.unshift(...machines.splice(front, 1));
  accel.machines = machines;
}

export async function probeMachineProps(peer: QmpPeer, state: ProbeState, accel: ProbeAccel): Promise<void> {
  for (const entry of MACHINE_PROPS) {
    let qomName: string;
    if (entry.abstractFor) {
      if (!entry.abstractFor.includes(state.arch)) continue;
      qomName = entry.machine;
    } else if (entry.machine === 'none') {
      qomName = 'none';
    } else {
      const machine = accel.machines.find((m) => m.alias === entry.machine || m.name === entry.machine);
      if (!machine) continue;
      qomName = machine.name;
    }
    const props = await callOr<QmpPropertyInfo[]>(
      peer,
      'qom-list-properties',
      { typename: `${qomName}-machine` },
      ['DeviceNotFound'],
      [],
    );
    const names = new Set(props.map((p) => p.name));
    for (const [prop, flag] of entry.props) if (names.has(prop)) state.flags.add(flag);
  }
}
