import type { NetworkDhcpLease } from '@tsvirt/core';
import { REMOTE_AUTH_TYPE_LIST_MAX } from '../xdr/limits.js';
import { CheckpointProcedures } from './checkpoint-procedures.js';
import {
  type Codec,
  xarray,
  xcharArray,
  xcharVector,
  xflags,
  xhyper,
  xhyperNumber,
  xint,
  xintBool,
  xoptional,
  xoptString,
  xstring,
  xstruct,
  xuhyper,
  xuhyperNumber,
  xuint,
  xvoid,
} from './codec.js';
import { CpuTuningProcedures } from './cpu-procedures.js';
import { HostStatsProcedures } from './host-stats-procedures.js';
import { InterfaceProcedures } from './interface-procedures.js';
import { IOThreadProcedures } from './iothread-procedures.js';
import { MIN_SIZE, xdomain, xnetwork, xnetworkPort, xpool, xsnapshot, xuuid, xvol } from './objects.js';
import { TuningProcedures } from './tuning-procedures.js';
import { TYPED_PARAM_MIN_SIZE, xtypedParam } from './typed-params.js';

/**
 * One procedure of the remote program: its number, its args and ret layouts, and whether it
 * changes state (refused on read-only connections before it reaches the driver only when the
 * driver itself would not check). Client and server both use these definitions.
 */
export interface ProcedureDef<A, R> {
  readonly proc: number;
  readonly args: Codec<A>;
  readonly ret: Codec<R>;
}
export type ArgsOf<D> = D extends ProcedureDef<infer A, unknown> ? A : never;
export type RetOf<D> = D extends ProcedureDef<unknown, infer R> ? R : never;

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}

// libvirt's list limits (remote_protocol.x).
const DOMAIN_LIST_MAX = 16384;
const NETWORK_LIST_MAX = 16384;
const STORAGE_POOL_LIST_MAX = 4096;
const STORAGE_VOL_LIST_MAX = 16384;
const DOMAIN_SNAPSHOT_LIST_MAX = 16384;
const NETWORK_PORT_LIST_MAX = 16384;
const DOMAIN_MESSAGES_MAX = 2048;
const DOMAIN_MEMORY_STATS_MAX = 1024;
const SECURITY_LABEL_MAX = 4097;
const SECURITY_MODEL_MAX = 257;
const SECURITY_DOI_MAX = 257;
export const DOMAIN_BLOCK_STATS_PARAMETERS_MAX = 16;
const NETWORK_DHCP_LEASES_MAX = 65536;
/** Smallest remote_network_dhcp_lease: two empty strings, four null pointers, the numbers. */
const DHCP_LEASE_MIN_SIZE = 40;

// Recurring argument shapes.
const domFlags = xstruct({ dom: xdomain, flags: xflags });
const netFlags = xstruct({ net: xnetwork, flags: xflags });
const poolFlags = xstruct({ pool: xpool, flags: xflags });
const volFlags = xstruct({ vol: xvol, flags: xflags });
const snapFlags = xstruct({ snap: xsnapshot, flags: xflags });
const xmlFlags = xstruct({ xml: xstring, flags: xflags });
const listArgs = xstruct({ needResults: xint, flags: xflags });
const domXmlFlags = xstruct({ dom: xdomain, xml: xstring, flags: xflags });
const domXml = xstruct({ dom: xdomain, xml: xstring });
/** remote_domain_block_stats_ret: five signed counters, -1 where the hypervisor has none. */
const blockStatsRet = xstruct({ rdReq: xhyper, rdBytes: xhyper, wrReq: xhyper, wrBytes: xhyper, errs: xhyper });
/** remote_domain_interface_stats_ret. */
const interfaceStatsRet = xstruct({
  rxBytes: xhyper,
  rxPackets: xhyper,
  rxErrs: xhyper,
  rxDrop: xhyper,
  txBytes: xhyper,
  txPackets: xhyper,
  txErrs: xhyper,
  txDrop: xhyper,
});
/** remote_network_dhcp_lease. */
const xdhcpLease = xstruct<NetworkDhcpLease>({
  iface: xstring,
  expiryTime: xhyperNumber,
  type: xint,
  mac: xoptString,
  iaid: xoptString,
  ipAddress: xstring,
  prefix: xuint,
  hostname: xoptString,
  clientId: xoptString,
});
function listRet<T>(item: Codec<T>, max: number, min: number) {
  return xstruct({ items: xarray(item, max, min), ret: xuint });
}

/** The remote program's procedures implemented on both sides, by libvirt's REMOTE_PROC_* names. */
export const Procedures = {
  ...HostStatsProcedures,
  CONNECT_OPEN: def(1, xstruct({ name: xoptString, flags: xflags }), xvoid),
  CONNECT_CLOSE: def(2, xvoid, xvoid),
  ...CpuTuningProcedures,
  ...InterfaceProcedures,
  ...IOThreadProcedures,
  CONNECT_GET_TYPE: def(3, xvoid, xstring),
  CONNECT_GET_VERSION: def(4, xvoid, xuhyperNumber),
  CONNECT_GET_MAX_VCPUS: def(5, xoptString, xint),
  NODE_GET_INFO: def(
    6,
    xvoid,
    xstruct({
      model: xcharVector(32),
      memory: xuhyperNumber,
      cpus: xint,
      mhz: xint,
      nodes: xint,
      sockets: xint,
      cores: xint,
      threads: xint,
    }),
  ),
  CONNECT_GET_CAPABILITIES: def(7, xvoid, xstring),
  DOMAIN_CREATE: def(9, xdomain, xvoid),
  DOMAIN_CREATE_XML: def(10, xmlFlags, xdomain),
  DOMAIN_DEFINE_XML: def(11, xstring, xdomain),
  DOMAIN_DESTROY: def(12, xdomain, xvoid),
  DOMAIN_GET_XML_DESC: def(14, domFlags, xstring),
  DOMAIN_GET_AUTOSTART: def(15, xdomain, xintBool),
  DOMAIN_GET_INFO: def(
    16,
    xdomain,
    xstruct({ state: xuint, maxMem: xuhyperNumber, memory: xuhyperNumber, nrVirtCpu: xuint, cpuTime: xuhyper }),
  ),
  DOMAIN_GET_OS_TYPE: def(19, xdomain, xstring),
  DOMAIN_GET_HOSTNAME: def(277, domFlags, xstring),
  DOMAIN_SET_METADATA: def(
    264,
    xstruct({ dom: xdomain, type: xint, metadata: xoptString, key: xoptString, uri: xoptString, flags: xflags }),
    xvoid,
  ),
  DOMAIN_GET_METADATA: def(265, xstruct({ dom: xdomain, type: xint, uri: xoptString, flags: xflags }), xstring),
  DOMAIN_MEMORY_STATS: def(
    159,
    xstruct({ dom: xdomain, maxStats: xuint, flags: xflags }),
    xarray(xstruct({ tag: xint, val: xuhyper }), DOMAIN_MEMORY_STATS_MAX, 12),
  ),
  DOMAIN_GET_CONTROL_INFO: def(229, domFlags, xstruct({ state: xuint, details: xuint, stateTime: xuhyperNumber })),
  DOMAIN_LOOKUP_BY_ID: def(22, xint, xdomain),
  DOMAIN_LOOKUP_BY_NAME: def(23, xstring, xdomain),
  DOMAIN_LOOKUP_BY_UUID: def(24, xuuid, xdomain),
  DOMAIN_REBOOT: def(27, domFlags, xvoid),
  DOMAIN_RESUME: def(28, xdomain, xvoid),
  DOMAIN_SET_AUTOSTART: def(29, xstruct({ dom: xdomain, autostart: xintBool }), xvoid),
  DOMAIN_SHUTDOWN: def(33, xdomain, xvoid),
  DOMAIN_SUSPEND: def(34, xdomain, xvoid),
  DOMAIN_UNDEFINE: def(35, xdomain, xvoid),
  NETWORK_CREATE: def(39, xnetwork, xvoid),
  NETWORK_CREATE_XML: def(40, xstring, xnetwork),
  NETWORK_DEFINE_XML: def(41, xstring, xnetwork),
  NETWORK_DESTROY: def(42, xnetwork, xvoid),
  NETWORK_GET_XML_DESC: def(43, netFlags, xstring),
  NETWORK_GET_AUTOSTART: def(44, xnetwork, xintBool),
  NETWORK_GET_BRIDGE_NAME: def(45, xnetwork, xstring),
  NETWORK_LOOKUP_BY_NAME: def(46, xstring, xnetwork),
  NETWORK_LOOKUP_BY_UUID: def(47, xuuid, xnetwork),
  NETWORK_SET_AUTOSTART: def(48, xstruct({ net: xnetwork, autostart: xintBool }), xvoid),
  NETWORK_UNDEFINE: def(49, xnetwork, xvoid),
  CONNECT_GET_HOSTNAME: def(59, xvoid, xstring),
  CONNECT_SUPPORTS_FEATURE: def(60, xint, xintBool),
  AUTH_LIST: def(66, xvoid, xarray(xint, REMOTE_AUTH_TYPE_LIST_MAX)),
  STORAGE_POOL_CREATE_XML: def(76, xmlFlags, xpool),
  STORAGE_POOL_DEFINE_XML: def(77, xmlFlags, xpool),
  STORAGE_POOL_CREATE: def(78, poolFlags, xvoid),
  STORAGE_POOL_BUILD: def(79, poolFlags, xvoid),
  STORAGE_POOL_DESTROY: def(80, xpool, xvoid),
  STORAGE_POOL_DELETE: def(81, poolFlags, xvoid),
  STORAGE_POOL_UNDEFINE: def(82, xpool, xvoid),
  STORAGE_POOL_REFRESH: def(83, poolFlags, xvoid),
  STORAGE_POOL_LOOKUP_BY_NAME: def(84, xstring, xpool),
  STORAGE_POOL_LOOKUP_BY_UUID: def(85, xuuid, xpool),
  STORAGE_POOL_LOOKUP_BY_VOLUME: def(86, xvol, xpool),
  STORAGE_POOL_GET_INFO: def(
    87,
    xpool,
    xstruct({ state: xuint, capacity: xuhyperNumber, allocation: xuhyperNumber, available: xuhyperNumber }),
  ),
  STORAGE_POOL_GET_XML_DESC: def(88, poolFlags, xstring),
  STORAGE_POOL_GET_AUTOSTART: def(89, xpool, xintBool),
  STORAGE_POOL_SET_AUTOSTART: def(90, xstruct({ pool: xpool, autostart: xintBool }), xvoid),
  STORAGE_VOL_CREATE_XML: def(93, xstruct({ pool: xpool, xml: xstring, flags: xflags }), xvol),
  STORAGE_VOL_DELETE: def(94, volFlags, xvoid),
  STORAGE_VOL_LOOKUP_BY_NAME: def(95, xstruct({ pool: xpool, name: xstring }), xvol),
  STORAGE_VOL_LOOKUP_BY_KEY: def(96, xstring, xvol),
  STORAGE_VOL_LOOKUP_BY_PATH: def(97, xstring, xvol),
  STORAGE_VOL_GET_INFO: def(98, xvol, xstruct({ type: xint, capacity: xuhyperNumber, allocation: xuhyperNumber })),
  STORAGE_VOL_GET_XML_DESC: def(99, volFlags, xstring),
  STORAGE_VOL_GET_PATH: def(100, xvol, xstring),
  NODE_GET_FREE_MEMORY: def(102, xvoid, xuhyperNumber),
  CONNECT_GET_URI: def(110, xvoid, xstring),
  DOMAIN_GET_SECURITY_LABEL: def(121, xdomain, xstruct({ label: xcharArray(SECURITY_LABEL_MAX), enforcing: xintBool })),
  NODE_GET_SECURITY_MODEL: def(
    122,
    xvoid,
    xstruct({ model: xcharArray(SECURITY_MODEL_MAX), doi: xcharArray(SECURITY_DOI_MAX) }),
  ),
  CONNECT_IS_SECURE: def(149, xvoid, xintBool),
  DOMAIN_IS_ACTIVE: def(150, xdomain, xintBool),
  DOMAIN_IS_PERSISTENT: def(151, xdomain, xintBool),
  NETWORK_IS_ACTIVE: def(152, xnetwork, xintBool),
  NETWORK_IS_PERSISTENT: def(153, xnetwork, xintBool),
  STORAGE_POOL_IS_ACTIVE: def(154, xpool, xintBool),
  STORAGE_POOL_IS_PERSISTENT: def(155, xpool, xintBool),
  CONNECT_GET_LIB_VERSION: def(157, xvoid, xuhyperNumber),
  DOMAIN_HAS_MANAGED_SAVE_IMAGE: def(183, domFlags, xintBool),
  DOMAIN_SNAPSHOT_NUM: def(187, domFlags, xint),
  DOMAIN_SNAPSHOT_CREATE_XML: def(185, xstruct({ dom: xdomain, xml: xstring, flags: xflags }), xsnapshot),
  DOMAIN_SNAPSHOT_GET_XML_DESC: def(186, snapFlags, xstring),
  DOMAIN_SNAPSHOT_LOOKUP_BY_NAME: def(189, xstruct({ dom: xdomain, name: xstring, flags: xflags }), xsnapshot),
  DOMAIN_HAS_CURRENT_SNAPSHOT: def(190, domFlags, xintBool),
  DOMAIN_SNAPSHOT_CURRENT: def(191, domFlags, xsnapshot),
  DOMAIN_REVERT_TO_SNAPSHOT: def(192, snapFlags, xvoid),
  DOMAIN_SNAPSHOT_DELETE: def(193, snapFlags, xvoid),
  DOMAIN_CREATE_WITH_FLAGS: def(196, domFlags, xdomain),
  DOMAIN_SNAPSHOT_GET_PARENT: def(244, snapFlags, xsnapshot),
  DOMAIN_SNAPSHOT_NUM_CHILDREN: def(246, snapFlags, xint),
  DOMAIN_SNAPSHOT_IS_CURRENT: def(271, snapFlags, xintBool),
  DOMAIN_SNAPSHOT_HAS_METADATA: def(272, snapFlags, xintBool),
  DOMAIN_IS_UPDATED: def(202, xdomain, xintBool),
  CONNECT_GET_SYSINFO: def(203, xuint, xstring),
  DOMAIN_GET_STATE: def(212, domFlags, xstruct({ state: xint, reason: xint })),
  DOMAIN_UNDEFINE_FLAGS: def(231, domFlags, xvoid),
  DOMAIN_DESTROY_FLAGS: def(234, domFlags, xvoid),
  DOMAIN_SHUTDOWN_FLAGS: def(258, domFlags, xvoid),
  CONNECT_LIST_ALL_DOMAINS: def(273, listArgs, listRet(xdomain, DOMAIN_LIST_MAX, MIN_SIZE.domain)),
  DOMAIN_LIST_ALL_SNAPSHOTS: def(
    274,
    xstruct({ dom: xdomain, needResults: xint, flags: xflags }),
    xstruct({ items: xarray(xsnapshot, DOMAIN_SNAPSHOT_LIST_MAX, MIN_SIZE.snapshot), ret: xint }),
  ),
  CONNECT_LIST_ALL_STORAGE_POOLS: def(281, listArgs, listRet(xpool, STORAGE_POOL_LIST_MAX, MIN_SIZE.pool)),
  STORAGE_POOL_LIST_ALL_VOLUMES: def(
    282,
    xstruct({ pool: xpool, needResults: xint, flags: xflags }),
    listRet(xvol, STORAGE_VOL_LIST_MAX, MIN_SIZE.vol),
  ),
  CONNECT_LIST_ALL_NETWORKS: def(283, listArgs, listRet(xnetwork, NETWORK_LIST_MAX, MIN_SIZE.network)),
  CONNECT_NETWORK_EVENT_REGISTER_ANY: def(313, xstruct({ eventID: xint, net: xoptional(xnetwork) }), xint),
  CONNECT_NETWORK_EVENT_DEREGISTER_ANY: def(314, xint, xvoid),
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: def(316, xstruct({ eventID: xint, dom: xoptional(xdomain) }), xint),
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: def(317, xint, xvoid),
  DOMAIN_DEFINE_XML_FLAGS: def(350, xmlFlags, xdomain),
  CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY: def(368, xstruct({ eventID: xint, pool: xoptional(xpool) }), xint),
  CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY: def(369, xint, xvoid),
  DOMAIN_GET_MESSAGES: def(426, domFlags, xarray(xstring, DOMAIN_MESSAGES_MAX)),
  CONNECT_DOMAIN_XML_TO_NATIVE: def(
    136,
    xstruct({ nativeFormat: xstring, domainXml: xstring, flags: xflags }),
    xstring,
  ),
  CONNECT_GET_DOMAIN_CAPABILITIES: def(
    342,
    xstruct({ emulatorbin: xoptString, arch: xoptString, machine: xoptString, virttype: xoptString, flags: xflags }),
    xstring,
  ),
  CONNECT_REGISTER_CLOSE_CALLBACK: def(360, xvoid, xvoid),

  // Memory, vCPUs, rename, reset.
  DOMAIN_SET_MAX_MEMORY: def(30, xstruct({ dom: xdomain, memory: xuhyperNumber }), xvoid),
  DOMAIN_SET_MEMORY: def(31, xstruct({ dom: xdomain, memory: xuhyperNumber }), xvoid),
  DOMAIN_SET_MEMORY_FLAGS: def(204, xstruct({ dom: xdomain, memory: xuhyperNumber, flags: xflags }), xvoid),
  DOMAIN_SET_VCPUS: def(32, xstruct({ dom: xdomain, nvcpus: xuint }), xvoid),
  DOMAIN_SET_VCPUS_FLAGS: def(199, xstruct({ dom: xdomain, nvcpus: xuint, flags: xflags }), xvoid),
  DOMAIN_RENAME: def(358, xstruct({ dom: xdomain, newName: xoptString, flags: xflags }), xint),
  DOMAIN_RESET: def(245, domFlags, xvoid),

  // Hot-plug.
  DOMAIN_ATTACH_DEVICE: def(8, domXml, xvoid),
  DOMAIN_ATTACH_DEVICE_FLAGS: def(160, domXmlFlags, xvoid),
  DOMAIN_DETACH_DEVICE: def(13, domXml, xvoid),
  DOMAIN_DETACH_DEVICE_FLAGS: def(161, domXmlFlags, xvoid),

  // Save and restore.
  DOMAIN_SAVE: def(55, xstruct({ dom: xdomain, to: xstring }), xvoid),
  DOMAIN_SAVE_FLAGS: def(232, xstruct({ dom: xdomain, to: xstring, dxml: xoptString, flags: xflags }), xvoid),
  DOMAIN_RESTORE: def(54, xstring, xvoid),
  DOMAIN_RESTORE_FLAGS: def(233, xstruct({ from: xstring, dxml: xoptString, flags: xflags }), xvoid),
  DOMAIN_MANAGED_SAVE: def(182, domFlags, xvoid),
  DOMAIN_MANAGED_SAVE_REMOVE: def(184, domFlags, xvoid),

  // Statistics.
  DOMAIN_BLOCK_STATS: def(64, xstruct({ dom: xdomain, path: xstring }), blockStatsRet),
  DOMAIN_BLOCK_STATS_FLAGS: def(
    243,
    xstruct({ dom: xdomain, path: xstring, nparams: xint, flags: xflags }),
    xstruct({
      params: xarray(xtypedParam, DOMAIN_BLOCK_STATS_PARAMETERS_MAX, TYPED_PARAM_MIN_SIZE),
      nparams: xint,
    }),
  ),
  DOMAIN_INTERFACE_STATS: def(65, xstruct({ dom: xdomain, path: xstring }), interfaceStatsRet),

  // Snapshots: the children of one snapshot.
  DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN: def(
    275,
    xstruct({ snap: xsnapshot, needResults: xint, flags: xflags }),
    xstruct({ items: xarray(xsnapshot, DOMAIN_SNAPSHOT_LIST_MAX, MIN_SIZE.snapshot), ret: xint }),
  ),

  // Networks.
  NETWORK_UPDATE: def(
    291,
    xstruct({ net: xnetwork, command: xuint, section: xuint, parentIndex: xint, xml: xstring, flags: xflags }),
    xvoid,
  ),
  NETWORK_GET_DHCP_LEASES: def(
    341,
    xstruct({ net: xnetwork, mac: xoptString, needResults: xint, flags: xflags }),
    xstruct({ leases: xarray(xdhcpLease, NETWORK_DHCP_LEASES_MAX, DHCP_LEASE_MIN_SIZE), ret: xuint }),
  ),
  CONNECT_UNREGISTER_CLOSE_CALLBACK: def(361, xvoid, xvoid),
  NETWORK_LIST_ALL_PORTS: def(
    404,
    xstruct({ net: xnetwork, needResults: xint, flags: xflags }),
    listRet(xnetworkPort, NETWORK_PORT_LIST_MAX, MIN_SIZE.networkPort),
  ),
  NETWORK_PORT_LOOKUP_BY_UUID: def(405, xstruct({ net: xnetwork, uuid: xuuid }), xnetworkPort),
  NETWORK_PORT_CREATE_XML: def(406, xstruct({ net: xnetwork, xml: xstring, flags: xflags }), xnetworkPort),
  NETWORK_PORT_GET_XML_DESC: def(409, xstruct({ port: xnetworkPort, flags: xflags }), xstring),
  NETWORK_PORT_DELETE: def(410, xstruct({ port: xnetworkPort, flags: xflags }), xvoid),
  // Tuning parameters, block info, guest time and file systems.
  ...TuningProcedures,
  ...CheckpointProcedures,
} as const;
export type ProcedureName = keyof typeof Procedures;

/** libvirt's second program, for the qemu driver only (qemu_protocol.x). */
export const QEMU_PROGRAM = 0x20008087;
export const QEMU_PROTOCOL_VERSION = 1;
/** The qemu program's procedures, by libvirt's QEMU_PROC_* names. */
export const QemuProcedures = {
  DOMAIN_MONITOR_COMMAND: def(1, xstruct({ dom: xdomain, cmd: xstring, flags: xflags }), xstring),
} as const;

/** Asynchronous messages (events) the server sends: type MESSAGE, serial 0. */
export const Messages = {
  NETWORK_EVENT_LIFECYCLE: def(315, xstruct({ callbackID: xint, net: xnetwork, event: xint, detail: xint }), xvoid),
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: def(
    318,
    xstruct({ callbackID: xint, dom: xdomain, event: xint, detail: xint }),
    xvoid,
  ),
  DOMAIN_EVENT_CALLBACK_METADATA_CHANGE: def(
    379,
    xstruct({ callbackID: xint, dom: xdomain, type: xint, nsuri: xoptString }),
    xvoid,
  ),
  STORAGE_POOL_EVENT_LIFECYCLE: def(370, xstruct({ callbackID: xint, pool: xpool, event: xint, detail: xint }), xvoid),
} as const;

/** Procedures by number, for the dispatcher. */
export const ProceduresByNumber: ReadonlyMap<number, ProcedureName> = new Map(
  (Object.entries(Procedures) as [ProcedureName, ProcedureDef<unknown, unknown>][]).map(([name, d]) => [d.proc, name]),
);

/** virDrvFeature values the remote client asks about with CONNECT_SUPPORTS_FEATURE. */
export const DrvFeature = {
  TYPED_PARAM_STRING: 9,
  PROGRAM_KEEPALIVE: 10,
  REMOTE_EVENT_CALLBACK: 14,
  REMOTE_CLOSE_CALLBACK: 15,
  /** NETWORK_UPDATE's command and section travel in their declared order (else swapped). */
  NETWORK_UPDATE_HAS_CORRECT_ORDER: 16,
} as const;
