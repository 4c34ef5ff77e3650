/** The options around the machine: -name, the master key, -uuid, monitor, -rtc, power management, -boot. */
import { isQ35 } from './aliases.js';
import { escapeComma, Props } from './props.js';
import type { BuildState } from './state.js';

export function buildName(s: BuildState): void {
  s.add('-name', `guest=${escapeComma(s.def.name)},debug-threads=on`);
}

/** The secret every other secret is encrypted with; QEMU reads it from the domain's private dir. */
export function buildMasterKey(s: BuildState): void {
  s.object(
    new Props()
      .set('qom-type', 'secret')
      .set('id', 'masterKey0')
      .set('format', 'raw')
      .set('file', `${s.ctx.libDir}/master-key.aes`),
  );
}

export function buildUuid(s: BuildState): void {
  s.add('-uuid', s.def.uuid);
}

export function buildDefaults(s: BuildState): void {
  s.add('-no-user-config', '-nodefaults');
}

export function buildMonitor(s: BuildState): void {
  const m = s.ctx.monitor;
  const where = 'fd' in m ? `fd=${m.fd}` : `path=${escapeComma(m.path)}`;
  s.add('-chardev', `socket,id=charmonitor,${where},server=on,wait=off`);
  s.add('-mon', 'chardev=charmonitor,id=monitor,mode=control');
}

export function buildClock(s: BuildState): void {
  const clock = s.def.clock;
  let base = 'utc';
  if (clock?.offset === 'localtime' || clock?.offset === 'timezone') base = 'localtime';
  else if (clock?.offset === 'variable' || clock?.offset === 'absolute') {
    const now = s.ctx.now ? s.ctx.now() : Date.now();
    // An adjustment against the host's local time starts from local wall-clock time.
    const local =
      clock.offset === 'variable' && clock.basis === 'localtime'
        ? (s.ctx.utcOffsetSeconds?.(now) ?? -new Date(now).getTimezoneOffset() * 60)
        : 0;
    const start =
      clock.offset === 'absolute' ? (clock.start ?? 0) : Math.floor(now / 1000) + Number(clock.adjustment ?? 0) + local;
    base = new Date(start * 1000).toISOString().slice(0, 19);
  }
  let rtc = `base=${base}`;
  const rtcTimer = clock?.timers.find((t) => t.name === 'rtc');
  if (rtcTimer?.track === 'guest') rtc += ',clock=vm';
  if (rtcTimer?.track === 'wall') rtc += ',clock=host';
  if (rtcTimer?.tickpolicy === 'catchup') rtc += ',driftfix=slew';
  s.add('-rtc', rtc);
  buildPitPolicy(s);
}

function buildPitPolicy(s: BuildState): void {
  // catchup is the in-kernel PIT's default, so only delay and discard are written.
  const policy = s.def.clock?.timers.find((t) => t.name === 'pit')?.tickpolicy;
  if (policy === 'delay' || policy === 'discard') s.add('-global', `kvm-pit.lost_tick_policy=${policy}`);
}

export function buildShutdown(s: BuildState): void {
  s.add('-no-shutdown');
}

export function buildPm(s: BuildState): void {
  const pm = s.def.pm;
  if (!pm) return;
  const dev = isQ35(s.def) ? 'ICH9-LPC' : 'PIIX4_PM';
  if (pm.suspendToMem !== undefined) s.add('-global', `${dev}.disable_s3=${pm.suspendToMem ? 0 : 1}`);
  if (pm.suspendToDisk !== undefined) s.add('-global', `${dev}.disable_s4=${pm.suspendToDisk ? 0 : 1}`);
}

export function buildBoot(s: BuildState): void {
  const os = s.def.os;
  const parts: string[] = [];
  if (os.bootmenu) {
    parts.push(`menu=${os.bootmenu.enable ? 'on' : 'off'}`);
    if (os.bootmenu.enable && os.bootmenu.timeout !== undefined) parts.push(`splash-time=${os.bootmenu.timeout}`);
  }
  if (os.bios?.rebootTimeout !== undefined) parts.push(`reboot-timeout=${os.bios.rebootTimeout}`);
  parts.push('strict=on');
  s.add('-boot', parts.join(','));
  // Direct kernel boot follows the boot options.
  if (os.kernel !== undefined) s.add('-kernel', os.kernel);
  if (os.initrd !== undefined) s.add('-initrd', os.initrd);
  if (os.cmdline !== undefined) s.add('-append', os.cmdline);
  if (os.dtb !== undefined) s.add('-dtb', os.dtb);
  if (os.shim !== undefined) s.add('-shim', os.shim);
}
