import type { DomainInfo, DomainRef, DomainState, DomainStateInfo } from '@tsvirt/core';
import { RemoteProcedure as P, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from '../rpc/constants.js';
import { REMOTE_DOMAIN_MIN_SIZE, readRemoteDomain, uuidToBytes, writeRemoteDomain } from '../rpc/remote-types.js';
import { REMOTE_AUTH_TYPE_LIST_MAX, REMOTE_DOMAIN_LIST_MAX } from '../xdr/limits.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import type { CallOptions, RpcClient } from './rpc-client.js';

/**
 * The remote program's procedures this package implements, with their args and ret layouts
 * (remote_protocol.x). One method per procedure; each is one round trip.
 */
export class RemoteProgram {
  constructor(
    private readonly rpc: RpcClient,
    private readonly options: CallOptions = {},
  ) {}

  private call<T = void>(proc: number, encode?: (w: XdrWriter) => void, decode?: (r: XdrReader) => T): Promise<T> {
    return this.rpc.call(REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc, encode, decode, this.options);
  }

  /** REMOTE_PROC_AUTH_LIST: remote_auth_type types<REMOTE_AUTH_TYPE_LIST_MAX>. */
  authList(): Promise<number[]> {
    return this.call(P.AUTH_LIST, undefined, (r) => r.array(REMOTE_AUTH_TYPE_LIST_MAX, (x) => x.int()));
  }
  /** REMOTE_PROC_CONNECT_OPEN: remote_string name; unsigned int flags. */
  connectOpen(name: string | undefined, flags: number): Promise<void> {
    return this.call(P.CONNECT_OPEN, (w) => w.optional(name, (x, s) => x.string(s)).uint(flags));
  }
  connectClose(): Promise<void> {
    return this.call(P.CONNECT_CLOSE);
  }
  connectGetType(): Promise<string> {
    return this.call(P.CONNECT_GET_TYPE, undefined, (r) => r.string());
  }
  /** unsigned hyper hv_ver. */
  connectGetVersion(): Promise<bigint> {
    return this.call(P.CONNECT_GET_VERSION, undefined, (r) => r.uhyper());
  }
  connectGetHostname(): Promise<string> {
    return this.call(P.CONNECT_GET_HOSTNAME, undefined, (r) => r.string());
  }
  connectGetCapabilities(): Promise<string> {
    return this.call(P.CONNECT_GET_CAPABILITIES, undefined, (r) => r.string());
  }
  /** args: int need_results; unsigned int flags. ret: remote_nonnull_domain domains<>; unsigned int ret. */
  connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return this.call(
      P.CONNECT_LIST_ALL_DOMAINS,
      (w) => w.int(1).uint(flags),
      (r) => {
        const domains = r.array(REMOTE_DOMAIN_LIST_MAX, readRemoteDomain, REMOTE_DOMAIN_MIN_SIZE);
        r.uint();
        return domains;
      },
    );
  }
  domainLookupByName(name: string): Promise<DomainRef> {
    return this.call(P.DOMAIN_LOOKUP_BY_NAME, (w) => w.string(name), readRemoteDomain);
  }
  domainLookupByUuid(uuid: string): Promise<DomainRef> {
    return this.call(P.DOMAIN_LOOKUP_BY_UUID, (w) => w.fixedOpaque(uuidToBytes(uuid), 16), readRemoteDomain);
  }
  domainLookupById(id: number): Promise<DomainRef> {
    return this.call(P.DOMAIN_LOOKUP_BY_ID, (w) => w.int(id), readRemoteDomain);
  }
  domainGetXmlDesc(dom: DomainRef, flags: number): Promise<string> {
    return this.call(
      P.DOMAIN_GET_XML_DESC,
      (w) => {
        writeRemoteDomain(w, dom);
        w.uint(flags);
      },
      (r) => r.string(),
    );
  }
  /** ret: unsigned char state; unsigned hyper maxMem, memory; unsigned short nrVirtCpu; unsigned hyper cpuTime. */
  domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    return this.call(
      P.DOMAIN_GET_INFO,
      (w) => writeRemoteDomain(w, dom),
      (r) => ({
        state: r.uint() as DomainState,
        maxMem: Number(r.uhyper()),
        memory: Number(r.uhyper()),
        nrVirtCpu: r.uint(),
        cpuTime: r.uhyper(),
      }),
    );
  }
  /** args: dom, unsigned int flags. ret: int state; int reason. */
  domainGetState(dom: DomainRef, flags: number): Promise<DomainStateInfo> {
    return this.call(
      P.DOMAIN_GET_STATE,
      (w) => {
        writeRemoteDomain(w, dom);
        w.uint(flags);
      },
      (r) => ({ state: r.int() as DomainState, reason: r.int() }),
    );
  }
  domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.call(
      P.DOMAIN_IS_ACTIVE,
      (w) => writeRemoteDomain(w, dom),
      (r) => r.int() !== 0,
    );
  }
  domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.call(
      P.DOMAIN_IS_PERSISTENT,
      (w) => writeRemoteDomain(w, dom),
      (r) => r.int() !== 0,
    );
  }
  domainDefineXmlFlags(xml: string, flags: number): Promise<DomainRef> {
    return this.call(P.DOMAIN_DEFINE_XML_FLAGS, (w) => w.string(xml).uint(flags), readRemoteDomain);
  }
  domainUndefineFlags(dom: DomainRef, flags: number): Promise<void> {
    return this.call(P.DOMAIN_UNDEFINE_FLAGS, (w) => {
      writeRemoteDomain(w, dom);
      w.uint(flags);
    });
  }
  domainCreateWithFlags(dom: DomainRef, flags: number): Promise<DomainRef> {
    return this.call(
      P.DOMAIN_CREATE_WITH_FLAGS,
      (w) => {
        writeRemoteDomain(w, dom);
        w.uint(flags);
      },
      readRemoteDomain,
    );
  }
  domainDestroyFlags(dom: DomainRef, flags: number): Promise<void> {
    return this.call(P.DOMAIN_DESTROY_FLAGS, (w) => {
      writeRemoteDomain(w, dom);
      w.uint(flags);
    });
  }
  domainSuspend(dom: DomainRef): Promise<void> {
    return this.call(P.DOMAIN_SUSPEND, (w) => writeRemoteDomain(w, dom));
  }
  domainResume(dom: DomainRef): Promise<void> {
    return this.call(P.DOMAIN_RESUME, (w) => writeRemoteDomain(w, dom));
  }
}
