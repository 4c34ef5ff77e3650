/** Server side of the host-interface procedures: each calls the public API libvirtd would. */
import type { InterfaceProcedures } from '../protocol/interface-procedures.js';
import type { ArgsOf, RetOf } from '../protocol/procedures.js';
import type { SessionApi } from './handlers.js';

type Table = typeof InterfaceProcedures;
type Run<K extends keyof Table> = (s: SessionApi, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>> | RetOf<Table[K]>;

const iface = (s: SessionApi, ref: { name: string }) => s.conn.lookupInterfaceByName(ref.name);

export const interfaceHandlers: { [K in keyof Table]: Run<K> } = {
  CONNECT_NUM_OF_INTERFACES: (s) => s.conn.numOfInterfaces(),
  CONNECT_LIST_INTERFACES: (s, max) => s.conn.listInterfaces(max),
  CONNECT_NUM_OF_DEFINED_INTERFACES: (s) => s.conn.numOfDefinedInterfaces(),
  CONNECT_LIST_DEFINED_INTERFACES: (s, max) => s.conn.listDefinedInterfaces(max),
  CONNECT_LIST_ALL_INTERFACES: async (s, a) => {
    const all = await s.conn.listAllInterfaces(a.flags);
    return { items: a.needResults ? all.map((i) => i.handle) : [], ret: all.length };
  },
  INTERFACE_LOOKUP_BY_NAME: async (s, name) => (await s.conn.lookupInterfaceByName(name)).handle,
  INTERFACE_LOOKUP_BY_MAC_STRING: async (s, mac) => (await s.conn.lookupInterfaceByMACString(mac)).handle,
  INTERFACE_GET_XML_DESC: async (s, a) => (await iface(s, a.iface)).getXMLDesc(a.flags),
  INTERFACE_DEFINE_XML: async (s, a) => (await s.conn.defineInterfaceXml(a.xml, a.flags)).handle,
  INTERFACE_UNDEFINE: async (s, ref) => (await iface(s, ref)).undefine(),
  INTERFACE_CREATE: async (s, a) => (await iface(s, a.iface)).create(a.flags),
  INTERFACE_DESTROY: async (s, a) => (await iface(s, a.iface)).destroy(a.flags),
  INTERFACE_IS_ACTIVE: async (s, ref) => (await iface(s, ref)).isActive(),
  INTERFACE_CHANGE_BEGIN: (s, flags) => s.conn.interfaceChangeBegin(flags),
  INTERFACE_CHANGE_COMMIT: (s, flags) => s.conn.interfaceChangeCommit(flags),
  INTERFACE_CHANGE_ROLLBACK: (s, flags) => s.conn.interfaceChangeRollback(flags),
};
