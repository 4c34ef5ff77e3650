/** Host interfaces over the wire. */
import { type InterfaceDriver, parseHostInterfaceXml } from '@tsvirt/core';
import type { ProcedureCaller } from './remote-program.js';

export function remoteInterfaces(c: ProcedureCaller): InterfaceDriver {
  return {
    listInterfaces: async (flags) => (await c('CONNECT_LIST_ALL_INTERFACES', { needResults: 1, flags })).items,
    lookupInterface: (by) =>
      'name' in by ? c('INTERFACE_LOOKUP_BY_NAME', by.name) : c('INTERFACE_LOOKUP_BY_MAC_STRING', by.mac),
    getInterfaceXml: async (iface, flags) => parseHostInterfaceXml(await c('INTERFACE_GET_XML_DESC', { iface, flags })),
    defineInterface: (xml, flags) => c('INTERFACE_DEFINE_XML', { xml, flags }),
    undefineInterface: (iface) => c('INTERFACE_UNDEFINE', iface),
    createInterface: (iface, flags) => c('INTERFACE_CREATE', { iface, flags }),
    destroyInterface: (iface, flags) => c('INTERFACE_DESTROY', { iface, flags }),
    isInterfaceActive: (iface) => c('INTERFACE_IS_ACTIVE', iface),
    changeBegin: (flags) => c('INTERFACE_CHANGE_BEGIN', flags),
    changeCommit: (flags) => c('INTERFACE_CHANGE_COMMIT', flags),
    changeRollback: (flags) => c('INTERFACE_CHANGE_ROLLBACK', flags),
  };
}
