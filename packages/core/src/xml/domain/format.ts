/** formatDomainXml: DomainDef → libvirt's canonical XML, one pass of string building. */
import { serializeXml } from '../adapter.js';
import { a, XmlWriter } from '../writer.js';
import { formatClock } from './clock.js';
import type { FormatContext } from './context.js';
import { formatCpu } from './cpu.js';
import { formatCputune } from './cputune.js';
import { formatDevices } from './devices/index.js';
import { formatFeatures } from './features.js';
import { formatGeneral } from './general.js';
import type { DomainXmlHooks } from './hooks.js';
import { formatLifecycle, formatPerf, formatPm } from './lifecycle.js';
import { formatMemory, formatMemoryBacking, formatMemtune } from './memory.js';
import { formatOs } from './os.js';
import { formatKeywrap, formatLaunchSecurity, formatSeclabels } from './security.js';
import { formatSysinfo } from './sysinfo.js';
import { formatThrottleGroups } from './throttle.js';
import { formatBlkiotune, formatNumatune, formatResource } from './tuning.js';
import type { DomainDef } from './types.js';
import { formatIOThreads, formatVcpu } from './vcpu.js';

export interface FormatDomainOptions {
  /** Persistent definition only: no id, no live-only data (VIR_DOMAIN_XML_INACTIVE). */
  inactive?: boolean;
  /** Include secrets such as graphics passwords (VIR_DOMAIN_XML_SECURE). */
  secure?: boolean;
  /** Leave out host-specific data (VIR_DOMAIN_XML_MIGRATABLE). */
  migratable?: boolean;
  hooks?: DomainXmlHooks;
}

/** Format a definition in libvirt's layout; the text ends with a newline, as virsh prints it. */
export function formatDomainXml(def: DomainDef, options: FormatDomainOptions = {}): string {
  // A definition that is not running (id -1) is always written as libvirt writes inactive ones.
  const running = def.id !== undefined && def.id >= 0;
  const ctx: FormatContext = {
    inactive: options.inactive === true || options.migratable === true || !running,
    secure: options.secure === true,
    migratable: options.migratable === true,
  };
  const w = new XmlWriter();
  const live = !ctx.inactive && def.id !== undefined && def.id >= 0;
  const ns = options.hooks?.namespace;
  const nsData = ns && def.namespaceData?.uri === ns.uri ? def.namespaceData.data : undefined;
  const nsNodes = ns && nsData !== undefined ? ns.format(nsData, def) : [];
  const rootAttrs =
    a('type', def.type) + (live ? a('id', def.id) : '') + (nsNodes.length ? a(`xmlns:${ns!.prefix}`, ns!.uri) : '');

  w.open('domain', rootAttrs);
  formatGeneral(w, def, ctx);
  formatMemory(w, def, ctx);
  formatBlkiotune(w, def);
  formatMemtune(w, def);
  formatMemoryBacking(w, def);
  formatVcpu(w, def, ctx);
  formatIOThreads(w, def);
  formatCputune(w, def, ctx);
  formatNumatune(w, def);
  formatThrottleGroups(w, def);
  formatResource(w, def, ctx);
  formatSysinfo(w, def);
  formatOs(w, def, ctx);
  if (def.idmap) w.raw(def.idmap);
  formatFeatures(w, def);
  formatCpu(w, def);
  formatClock(w, def);
  formatLifecycle(w, def);
  formatPm(w, def);
  formatPerf(w, def);
  formatDevices(w, def, ctx);
  formatSeclabels(w, def, ctx);
  formatKeywrap(w, def);
  formatLaunchSecurity(w, def);
  for (const node of nsNodes) {
    if ('raw' in node) w.raw(node.raw);
    else if ('name' in node) w.lines(serializeXml(node, w.level));
  }
  w.close('domain');
  return w.out;
}
