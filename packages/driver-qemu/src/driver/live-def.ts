/**
 * What a running guest's XML shows beyond its definition, as libvirt shows it: every device's
 * alias (the ids on QEMU's command line) and the pty QEMU opened for the serial console.
 */
import type { DomainDef } from '@tsvirt/core';
import { assignAliases } from '../command/aliases.js';

export function decorateLiveDef(def: DomainDef, consolePty: string | undefined): void {
  for (const [device, alias] of assignAliases(def)) {
    const info = (device as { info?: { alias?: string } }).info;
    if (info && info.alias === undefined) info.alias = alias;
  }
  if (!consolePty) return;
  const serial = def.devices.serials[0];
  if (serial?.source.type === 'pty') serial.source.path = consolePty;
  const console0 = def.devices.consoles[0];
  if (console0?.source.type === 'pty' && console0.target.type === 'serial') console0.source.path = consolePty;
}
