import type { ArgsOf, ProcedureDef, RetOf } from '../protocol/procedures.js';
import { Procedures, QEMU_PROGRAM, QEMU_PROTOCOL_VERSION, QemuProcedures } from '../protocol/procedures.js';
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from '../rpc/constants.js';
import type { CallOptions, RpcClient } from './rpc-client.js';

type Table = typeof Procedures;
type QemuTable = typeof QemuProcedures;
export type QemuCaller = <K extends keyof QemuTable>(
  name: K,
  args: ArgsOf<QemuTable[K]>,
) => Promise<RetOf<QemuTable[K]>>;
export type ProcedureCaller = <K extends keyof Table>(name: K, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>>;

/**
 * The remote program as the client sees it: `call('DOMAIN_LOOKUP_BY_NAME', 'vm1')` encodes the
 * args with the shared procedure table, sends the call and decodes the ret. One round trip each.
 */
export class RemoteProgram {
  constructor(
    private readonly rpc: RpcClient,
    private readonly options: CallOptions = {},
  ) {}

  call<K extends keyof Table>(name: K, args: ArgsOf<Table[K]>): Promise<RetOf<Table[K]>> {
    const d = Procedures[name] as ProcedureDef<ArgsOf<Table[K]>, RetOf<Table[K]>>;
    return this.rpc.call(
      REMOTE_PROGRAM,
      REMOTE_PROTOCOL_VERSION,
      d.proc,
      (w) => d.args.write(w, args),
      (r) => d.ret.read(r),
      this.options,
    );
  }

  /** A call of libvirt's qemu program (libvirt-qemu's APIs), on the same connection. */
  callQemu<K extends keyof QemuTable>(name: K, args: ArgsOf<QemuTable[K]>): Promise<RetOf<QemuTable[K]>> {
    const d = QemuProcedures[name] as ProcedureDef<ArgsOf<QemuTable[K]>, RetOf<QemuTable[K]>>;
    return this.rpc.call(
      QEMU_PROGRAM,
      QEMU_PROTOCOL_VERSION,
      d.proc,
      (w) => d.args.write(w, args),
      (r) => d.ret.read(r),
      this.options,
    );
  }
}
