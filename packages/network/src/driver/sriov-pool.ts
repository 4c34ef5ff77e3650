/**
 * SR-IOV pools (<forward><pf dev='X'/></forward> with no explicit devices): at start libvirt
 * builds the pool from the PF's virtual functions (sysfs virtfnN links) and refuses to start
 * when there are none — a device that is missing or is not an SR-IOV PF has none either.
 * This host has no SR-IOV hardware, so only that refusal is exercised here; a PF with VFs is
 * refused as not supported yet rather than started with a pool that was never tested.
 */
import { ErrorCode, type NetworkDef } from '@tsvirt/core';
import { internalError, networkError } from '../errors.js';
import type { Host } from './host.js';

/** The PF's virtual function links, read inside the driver's namespace (its own /sys). */
async function virtualFunctions(host: Host, pf: string): Promise<string[]> {
  try {
    const out = await host.run(['ls', '-1', `/sys/class/net/${pf}/device`]);
    return out.split('\n').filter((n) => /^virtfn\d+$/.test(n));
  } catch {
    return []; // no such device, or no PCI device behind it
  }
}

export async function checkSriovPool(host: Host, def: NetworkDef): Promise<void> {
  const fwd = def.forward;
  const pf = fwd?.pf;
  if (!pf || fwd.interfaces.length > 0 || fwd.addresses.length > 0) return;
  const vfs = await virtualFunctions(host, pf);
  if (vfs.length === 0) throw internalError(`No usable Vf's present on SRIOV PF ${pf}`);
  throw networkError(
    ErrorCode.CONFIG_UNSUPPORTED,
    `network '${def.name}': pools of SR-IOV virtual functions (PF ${pf}, ${vfs.length} VFs) are not supported by tsvirt yet`,
  );
}
