/** The host-interface procedures (virInterface*), with remote_protocol.x's layouts. Spread into `Procedures`. */
import type { InterfaceRef } from '@tsvirt/core';
import { type Codec, xarray, xflags, xint, xintBool, xstring, xstruct, xuint, xvoid } from './codec.js';
import type { ProcedureDef } from './procedures.js';

/** REMOTE_INTERFACE_LIST_MAX. */
const INTERFACE_LIST_MAX = 16384;

/** remote_nonnull_interface: name and MAC. */
export const xinterface: Codec<InterfaceRef> = xstruct<InterfaceRef>({ name: xstring, mac: xstring });

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}
const ifaceFlags = xstruct({ iface: xinterface, flags: xflags });
const names = xarray(xstring, INTERFACE_LIST_MAX, 4);

export const InterfaceProcedures = {
  CONNECT_NUM_OF_INTERFACES: def(126, xvoid, xint),
  CONNECT_LIST_INTERFACES: def(127, xint, names),
  INTERFACE_LOOKUP_BY_NAME: def(128, xstring, xinterface),
  INTERFACE_LOOKUP_BY_MAC_STRING: def(129, xstring, xinterface),
  INTERFACE_GET_XML_DESC: def(130, ifaceFlags, xstring),
  INTERFACE_DEFINE_XML: def(131, xstruct({ xml: xstring, flags: xflags }), xinterface),
  INTERFACE_UNDEFINE: def(132, xinterface, xvoid),
  INTERFACE_CREATE: def(133, ifaceFlags, xvoid),
  INTERFACE_DESTROY: def(134, ifaceFlags, xvoid),
  CONNECT_NUM_OF_DEFINED_INTERFACES: def(137, xvoid, xint),
  CONNECT_LIST_DEFINED_INTERFACES: def(138, xint, names),
  INTERFACE_IS_ACTIVE: def(156, xinterface, xintBool),
  INTERFACE_CHANGE_BEGIN: def(220, xuint, xvoid),
  INTERFACE_CHANGE_COMMIT: def(221, xuint, xvoid),
  INTERFACE_CHANGE_ROLLBACK: def(222, xuint, xvoid),
  CONNECT_LIST_ALL_INTERFACES: def(
    284,
    xstruct({ needResults: xint, flags: xflags }),
    xstruct({ items: xarray(xinterface, INTERFACE_LIST_MAX, 8), ret: xuint }),
  ),
} as const;
