/**
 * Host network interfaces (virInterface*): the physical NICs, bridges, bonds and VLANs of the
 * host, their definitions and up/down state, and libvirt's change transactions.
 */
import type { HostInterfaceDef } from '../xml/interface/types.js';

/** virInterfacePtr's identity: the name, and the MAC it was looked up or listed with ('' if none). */
export interface InterfaceRef {
  readonly name: string;
  readonly mac: string;
}

export type InterfaceLookup = { readonly name: string } | { readonly mac: string };

/** virConnectListAllInterfacesFlags. */
export const ListInterfacesFlags = { INACTIVE: 1 << 0, ACTIVE: 1 << 1 } as const;
/** virInterfaceXMLFlags. */
export const InterfaceXmlFlags = { INACTIVE: 1 << 0 } as const;
/** virInterfaceDefineFlags. */
export const InterfaceDefineFlags = { VALIDATE: 1 << 0 } as const;

/**
 * The optional interface group of a connection. A driver checks its own flags (libvirt's drivers
 * do, and their function names show in "unsupported flags" errors), which is why definitions
 * arrive as text: the flags are refused before the XML is read.
 */
export interface InterfaceDriver {
  /** virConnectListAllInterfaces (ListInterfacesFlags), sorted by name. */
  listInterfaces(flags: number): Promise<InterfaceRef[]>;
  /** NO_INTERFACE when nothing matches; MULTIPLE_INTERFACES when a MAC matches several. */
  lookupInterface(by: InterfaceLookup): Promise<InterfaceRef>;
  /** virInterfaceGetXMLDesc (InterfaceXmlFlags). */
  getInterfaceXml(ref: InterfaceRef, flags: number): Promise<HostInterfaceDef>;
  /** virInterfaceDefineXML: the driver parses `xml` (parseHostInterfaceXml) after its flag check. */
  defineInterface?(xml: string, flags: number): Promise<InterfaceRef>;
  undefineInterface?(ref: InterfaceRef): Promise<void>;
  /** virInterfaceCreate: bring it up. */
  createInterface?(ref: InterfaceRef, flags: number): Promise<void>;
  /** virInterfaceDestroy: bring it down. */
  destroyInterface?(ref: InterfaceRef, flags: number): Promise<void>;
  isInterfaceActive?(ref: InterfaceRef): Promise<boolean>;
  /** virInterfaceChangeBegin: a restore point of every interface definition. */
  changeBegin?(flags: number): Promise<void>;
  /** virInterfaceChangeCommit: keep the changes, drop the restore point. */
  changeCommit?(flags: number): Promise<void>;
  /** virInterfaceChangeRollback: back to the restore point. */
  changeRollback?(flags: number): Promise<void>;
}
