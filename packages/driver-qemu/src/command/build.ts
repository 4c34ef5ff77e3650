/**
 * Domain definition (after post-parse and address assignment) → QEMU command line, in the
 * order and spelling libvirt's qemuBuildCommandLine uses.
 */
import type { DomainDef } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { audioEnvironment, buildAudio } from './audio.js';
import { bootIndexes } from './boot-order.js';
import {
  buildChannels,
  buildConsoles,
  buildParallels,
  buildRedirdevs,
  buildSerials,
  buildSmartcards,
} from './chardevs.js';
import type { QemuCommandLine } from './command-line.js';
import type { QemuBuildContext } from './context.js';
import { buildCcidControllers, buildControllers } from './controllers.js';
import { buildCpu, buildSmp } from './cpu.js';
import {
  buildInputs,
  buildMemballoon,
  buildMsg,
  buildRngs,
  buildSandbox,
  buildSounds,
  buildVideos,
  buildWatchdogs,
} from './devices.js';
import { buildDisks, buildManagedPrHelper } from './disks.js';
import {
  buildCryptos,
  buildHubs,
  buildIommu,
  buildPanics,
  buildPstores,
  buildShmems,
  buildTpms,
  buildVsocks,
} from './extra-devices.js';
import { buildFilesystems } from './filesystems.js';
import { buildLoaderOptions, buildPflashBlockdevs } from './firmware.js';
import {
  buildBoot,
  buildClock,
  buildDefaults,
  buildMasterKey,
  buildMonitor,
  buildName,
  buildPm,
  buildShutdown,
  buildUuid,
} from './general.js';
import { buildDisplayNone, buildGraphics, displayEnvironment } from './graphics.js';
import { buildHostdevs } from './hostdevs.js';
import { buildLaunchSecurity } from './launch-security.js';
import { buildAccel, buildMachine } from './machine.js';
import { buildIOThreads, buildMemory, buildNuma } from './memory.js';
import { buildMemoryDevices } from './memory-devices.js';
import { buildNets } from './net.js';
import {
  buildAcpiTables,
  buildChipsetGlobals,
  buildFwcfg,
  buildGenid,
  buildRunWith,
  buildSmbios,
  buildTseg,
} from './platform.js';
import { Props } from './props.js';
import { qemuNamespaceData } from './qemu-namespace.js';
import { BuildState } from './state.js';
import { buildThrottleGroups } from './throttle.js';
import { validateForCommandLine } from './validate.js';

export function buildQemuCommandLine(def: DomainDef, caps: QemuCaps, ctx: QemuBuildContext): QemuCommandLine {
  validateForCommandLine(def, caps);
  const s = new BuildState(def, caps, ctx);
  const boot = bootIndexes(def);
  buildName(s);
  s.add('-S');
  buildMasterKey(s);
  buildManagedPrHelper(s);
  buildPflashBlockdevs(s);
  buildMachine(s);
  buildAccel(s);
  buildTseg(s);
  buildCpu(s);
  buildLoaderOptions(s);
  buildMemory(s);
  buildSmp(s);
  buildIOThreads(s);
  buildNuma(s);
  buildThrottleGroups(s);
  buildUuid(s);
  buildSmbios(s);
  buildFwcfg(s);
  buildGenid(s);
  buildDisplayNone(s);
  buildDefaults(s);
  buildMonitor(s);
  buildClock(s);
  buildShutdown(s);
  buildPm(s);
  buildBoot(s);
  buildAcpiTables(s);
  buildChipsetGlobals(s);
  buildIommu(s);
  buildControllers(s);
  buildHubs(s);
  buildCcidControllers(s);
  buildMemoryDevices(s);
  buildDisks(s, boot);
  buildFilesystems(s);
  buildNets(s, boot);
  buildSmartcards(s);
  buildSerials(s);
  buildParallels(s);
  buildChannels(s);
  buildConsoles(s);
  buildTpms(s);
  buildInputs(s);
  buildAudio(s);
  buildGraphics(s);
  buildVideos(s);
  buildSounds(s);
  buildWatchdogs(s);
  buildRedirdevs(s, boot);
  buildHostdevs(s, boot);
  if (s.ctx.incoming !== undefined) s.add('-incoming', s.ctx.incoming);
  buildMemballoon(s);
  buildRngs(s);
  if (def.features?.vmcoreinfo?.on) s.device(new Props().set('driver', 'vmcoreinfo'));
  buildLaunchSecurity(s);
  const ns = qemuNamespaceData(def);
  if (ns) s.add(...ns.args);
  buildSandbox(s);
  buildPanics(s);
  buildShmems(s);
  buildPstores(s);
  buildCryptos(s);
  buildVsocks(s);
  buildRunWith(s);
  buildMsg(s);
  const env = environment(ctx);
  env.push(...displayEnvironment(s), ...audioEnvironment(s));
  if (def.clock?.offset === 'timezone' && def.clock.timezone) env.push(['TZ', def.clock.timezone]);
  for (const e of ns?.env ?? []) env.push([e.name, e.value ?? '']);
  return { env, binary: def.devices.emulator ?? caps.emulator, args: s.args };
}

/** libvirt's environment for QEMU: C locale, the daemon's PATH and user, HOME and XDG under the domain's dir. */
function environment(ctx: QemuBuildContext): Array<[string, string]> {
  const env: Array<[string, string]> = [['LC_ALL', 'C']];
  if (ctx.env?.PATH !== undefined) env.push(['PATH', ctx.env.PATH]);
  env.push(['HOME', ctx.libDir]);
  if (ctx.env?.USER !== undefined) env.push(['USER', ctx.env.USER]);
  if (ctx.env?.LOGNAME !== undefined) env.push(['LOGNAME', ctx.env.LOGNAME]);
  env.push(
    ['XDG_DATA_HOME', `${ctx.libDir}/.local/share`],
    ['XDG_CACHE_HOME', `${ctx.libDir}/.cache`],
    ['XDG_CONFIG_HOME', `${ctx.libDir}/.config`],
  );
  return env;
}
