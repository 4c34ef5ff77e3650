/**
 * What a running guest's XML shows beyond its definition, as libvirt shows it: every device's
 * alias (the ids on QEMU's command line) and the pty QEMU opened for each pty character device.
 */
import type { DomainDef } from '@tsvirt/core';
import { assignAliases } from '../command/aliases.js';

/** Pty paths by chardev id, from query-chardev ("pty:/dev/pts/N" filenames). */
export type ChardevPtys = ReadonlyMap<string, string>;

export function ptysFromQueryChardev(chardevs: ReadonlyArray<{ label: string; filename: string }>): ChardevPtys {
  const ptys = new Map<string, string>();
  for (const c of chardevs) if (c.filename.startsWith('pty:')) ptys.set(c.label, c.filename.slice(4));
  return ptys;
}

export function decorateLiveDef(def: DomainDef, ptys: ChardevPtys): void {
  for (const [device, alias] of assignAliases(def)) {
    const info = (device as { info?: { alias?: string } }).info;
    if (info && info.alias === undefined) info.alias = alias;
  }
  const { serials, parallels, channels, consoles } = def.devices;
  for (const dev of [...serials, ...parallels, ...channels, ...consoles]) {
    // Each device's backend is -chardev id=char<alias> (a serial console shares the serial's).
    const path = dev.info.alias === undefined ? undefined : ptys.get(`char${dev.info.alias}`);
    if (dev.source.type === 'pty' && path) dev.source.path = path;
  }
}
