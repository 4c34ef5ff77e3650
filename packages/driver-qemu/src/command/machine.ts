/** -machine and -accel. */
import { numaHasHmat } from '@tsvirt/core';
import { findMachine } from '../capabilities/qemu-caps.js';
import { isQ35 } from './aliases.js';
import { pflashNodes } from './firmware.js';
import { hasSevLaunchSecurity, LAUNCH_SECURITY_ID } from './launch-security.js';
import { needsDefaultRamBackend } from './memory.js';
import { onOff } from './props.js';
import type { BuildState } from './state.js';

export function accelOf(s: BuildState): 'kvm' | 'tcg' {
  return s.def.type === 'kvm' ? 'kvm' : 'tcg';
}

export function buildMachine(s: BuildState): void {
  const { def } = s;
  const f = def.features ?? {};
  const parts: string[] = [def.os.machine ?? 'pc'];
  parts.push('usb=off');
  const vmport = f.vmport;
  if (vmport) parts.push(`vmport=${onOff(vmport.on)}`);
  if (f.ioapic?.attrs?.driver === 'qemu') parts.push('kernel_irqchip=split');
  else if (f.ioapic?.attrs?.driver === 'kvm') parts.push('kernel_irqchip=on');
  if (f.smm) parts.push(`smm=${onOff(f.smm.on)}`);
  if (f.ps2) parts.push(`i8042=${onOff(f.ps2.on)}`);
  parts.push(`dump-guest-core=${onOff(def.memoryDumpCore === true)}`);
  if (def.memoryBacking?.nosharepages) parts.push('mem-merge=off');
  if (needsDefaultRamBackend(s)) parts.push(`memory-backend=${defaultRamId(s)}`);
  if (hasSevLaunchSecurity(s.def.launchSecurity)) parts.push(`confidential-guest-support=${LAUNCH_SECURITY_ID}`);
  if ((def.devices.raw.memory ?? []).some((m) => m.attrs.model === 'nvdimm')) parts.push('nvdimm=on');
  const pcspk = def.devices.sounds.find((x) => x.model === 'pcspk');
  if (pcspk) parts.push(`pcspk-audiodev=audio${pcspk.audioId ?? 1}`);
  if (def.cpu?.numa && numaHasHmat(def.cpu.numa, def.cpu.numaInterconnects)) parts.push('hmat=on');
  const flash = pflashNodes(s);
  if (flash.pflash0) parts.push(`pflash0=${flash.pflash0}`);
  if (flash.pflash1) parts.push(`pflash1=${flash.pflash1}`);
  const hpet = def.clock?.timers.find((t) => t.name === 'hpet');
  if (hpet?.present === false) parts.push('hpet=off');
  if (def.os.type === 'hvm') parts.push(`acpi=${onOff(f.acpi?.on === true)}`);
  s.add('-machine', parts.join(','));
}

export function defaultRamId(s: BuildState): string {
  const m = findMachine(s.caps, accelOf(s), s.def.os.machine ?? '');
  return m?.defaultRamId ?? (isQ35(s.def) ? 'pc.ram' : 'pc.ram');
}

export function buildAccel(s: BuildState): void {
  const f = s.def.features ?? {};
  let v: string = accelOf(s);
  if (v === 'kvm') {
    const ring = f.kvm?.children?.find((c) => c.name === 'dirty-ring' && c.attrs.state === 'on');
    if (ring?.attrs.size) v += `,dirty-ring-size=${ring.attrs.size}`;
  } else {
    const tcg = f.tcg;
    const tb = tcg?.children?.find((c) => c.name === 'tb-cache');
    if (tb) {
      const n = Number(tb.nodes.filter((x): x is string => typeof x === 'string').join(''));
      const unit = tb.attrs.unit ?? 'MiB';
      const mib = unit === 'KiB' ? n / 1024 : unit === 'GiB' ? n * 1024 : n;
      v += `,tb-size=${mib}`;
    }
  }
  s.add('-accel', v);
}
