/**
 * What libvirt's network driver does to a definition before accepting it: validation, a bridge
 * name (virbrN) and a MAC for networks with their own bridge, and no bridge name used twice.
 */
import { randomBytes } from 'node:crypto';
import { type NetworkDef, validateNetworkDef } from '@tsvirt/core';
import { internalError } from '../errors.js';
import type { Host } from './host.js';
import { ownsBridge } from './start.js';

function randomMac(): string {
  // 52:54:00 is the prefix libvirt (and QEMU) use for generated addresses.
  const b = randomBytes(3);
  return ['52', '54', '00', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

async function freeBridgeName(others: readonly NetworkDef[], host: Host): Promise<string> {
  const taken = new Set(others.map((d) => d.bridge?.name).filter((n) => n !== undefined));
  for (let i = 0; i < 256; i++) {
    const name = `virbr${i}`;
    if (!taken.has(name) && !(await host.linkExists(name))) return name;
  }
  throw internalError('Bridge generation exceeded max id 256');
}

/** Returns the definition to store (never changes `def` itself); throws VirError when refused. */
export async function prepareDefinition(
  def: NetworkDef,
  others: readonly NetworkDef[],
  host: Host,
): Promise<NetworkDef> {
  validateNetworkDef(def);
  if (!ownsBridge(def)) return def;
  const name = def.bridge?.name;
  if (name !== undefined && others.some((o) => o.bridge?.name === name)) {
    throw internalError(`bridge name '${name}' already in use.`);
  }
  return {
    ...def,
    bridge: { ...def.bridge, name: name ?? (await freeBridgeName(others, host)) },
    mac: def.mac ?? randomMac(),
  };
}
