import { ErrorDomain } from '@tsvirt/core';
import { QEMU_PROGRAM_APIS, REMOTE_PROGRAM_APIS } from './remote-apis.js';

/** The public API libvirtd calls for one procedure, as its error reports need it. */
export interface ProcedureApi {
  /** libvirt's public function, named in "not supported by the connection driver: virXxx". */
  readonly api: string;
  /** The VIR_FROM_* domain that function's module reports its errors in. */
  readonly domain: ErrorDomain;
  /** The function refuses read-only connections before any driver sees the call. */
  readonly refusesReadOnly: boolean;
  /** libvirtd serves it through a secondary driver connection (networks, storage, secrets…). */
  readonly secondary: boolean;
  /** The smallest XDR encoding of the procedure's args: libvirtd cannot decode fewer bytes. */
  readonly minArgsSize: number;
}

/** Modules whose APIs libvirtd runs on the client's network/storage/… connection, not the hypervisor's. */
const SECONDARY = new Set<ErrorDomain>([
  ErrorDomain.NETWORK,
  ErrorDomain.STORAGE,
  ErrorDomain.SECRET,
  ErrorDomain.NWFILTER,
  ErrorDomain.INTERFACE,
  ErrorDomain.NODEDEV,
]);

function parse(table: string): ReadonlyMap<number, ProcedureApi> {
  const map = new Map<number, ProcedureApi>();
  for (const line of table.trim().split('\n')) {
    const [proc, api, domainName, minArgs, ro] = line.split(' ');
    const domain = ErrorDomain[domainName as keyof typeof ErrorDomain];
    if (domain === undefined) throw new Error(`remote-apis.ts: unknown error domain ${domainName}`);
    map.set(Number(proc), {
      api: api!,
      domain,
      refusesReadOnly: ro === 'ro',
      secondary: SECONDARY.has(domain),
      minArgsSize: Number(minArgs),
    });
  }
  return map;
}

/** Every procedure of libvirt 9.0's remote program that libvirtd serves by calling a public API. */
export const RemoteProcedureApis = parse(REMOTE_PROGRAM_APIS);
/** The same for the qemu program. */
export const QemuProcedureApis = parse(QEMU_PROGRAM_APIS);
