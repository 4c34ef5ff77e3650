import { type DomainDef, type InterfaceDef, isGeneratedIfname } from '@tsvirt/core';

/**
 * libvirt's test driver names every NIC that has no target device "testnetN" (N: the NIC's
 * place in the definition) when a domain is defined, created or loaded, and keeps the name.
 */
export function withTestIfnames(def: DomainDef): DomainDef {
  const nics = def.devices.interfaces;
  // A generated name (vnetN, ...) does not survive into a definition: it counts as none.
  const keeps = (n: InterfaceDef) => n.type === 'hostdev' || (n.target && !isGeneratedIfname(n.target.dev));
  if (nics.every(keeps)) return def;
  const named = nics.map((n, i) => (keeps(n) ? n : { ...n, target: { dev: `testnet${i}` } }));
  return { ...def, devices: { ...def.devices, interfaces: named } };
}
