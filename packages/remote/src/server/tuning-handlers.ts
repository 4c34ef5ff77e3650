/** Server side of the tuning-parameter, block-info, guest-time and guest-file-system procedures. */
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import type { ArgsOf, RetOf } from '../protocol/procedures.js';
import { DOMAIN_TUNING_PARAMETERS_MAX, type TuningProcedures } from '../protocol/tuning-procedures.js';
import { stripStrings } from '../protocol/typed-params.js';
import type { SessionApi } from './handlers.js';

type Table = typeof TuningProcedures;
type Name = keyof Table;
type Run<K extends Name> = (s: SessionApi, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>>;

const domain = (s: SessionApi, uuid: string) => s.conn.lookupDomainByUuid(uuid);

/** libvirtd refuses to reserve room for more parameters than the protocol carries. */
function checkNparams(nparams: number): void {
  if (nparams > DOMAIN_TUNING_PARAMETERS_MAX) {
    throw new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.RPC, detail: 'nparams too large' });
  }
}

/**
 * One GET_*_PARAMETERS procedure: the count alone when asked with nparams 0; string values only
 * for a caller that said it accepts them (VIR_TYPED_PARAM_STRING_OKAY), as libvirtd serializes.
 */
type GetRun = (
  s: SessionApi,
  a: ArgsOf<Table['DOMAIN_GET_MEMORY_PARAMETERS']>,
) => Promise<RetOf<Table['DOMAIN_GET_MEMORY_PARAMETERS']>>;

function getter(kind: 'Memory' | 'Blkio' | 'Numa'): GetRun {
  return async (s, a) => {
    checkNparams(a.nparams);
    const d = await domain(s, a.dom.uuid);
    const got = await d[`get${kind}Parameters`](a.nparams, a.flags);
    if (a.nparams === 0) return { params: [], nparams: got.nparams };
    // libvirtd sends the count only for the first question; the client counts the values.
    return { params: stripStrings(got.params, a.flags), nparams: 0 };
  };
}

/**
 * An empty list arrives at libvirtd as no list at all, which the public API refuses before
 * anything else (so even blkio, which takes zero parameters in process, fails on the wire).
 */
type SetRun = (s: SessionApi, a: ArgsOf<Table['DOMAIN_SET_MEMORY_PARAMETERS']>) => Promise<void>;

function setter(kind: 'Memory' | 'Blkio' | 'Numa'): SetRun {
  return async (s, a) => {
    const d = await domain(s, a.dom.uuid);
    if (a.params.length === 0) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.DOMAIN,
        message: `params in virDomainSet${kind}Parameters must not be NULL`,
      });
    }
    await d[`set${kind}Parameters`](a.params, a.flags);
  };
}

export const tuningHandlers: { [K in Name]: Run<K> } = {
  DOMAIN_GET_MEMORY_PARAMETERS: getter('Memory'),
  DOMAIN_SET_MEMORY_PARAMETERS: setter('Memory'),
  DOMAIN_GET_BLKIO_PARAMETERS: getter('Blkio'),
  DOMAIN_SET_BLKIO_PARAMETERS: setter('Blkio'),
  DOMAIN_GET_NUMA_PARAMETERS: getter('Numa'),
  DOMAIN_SET_NUMA_PARAMETERS: setter('Numa'),
  DOMAIN_GET_BLOCK_INFO: async (s, a) => (await domain(s, a.dom.uuid)).getBlockInfo(a.path, a.flags),
  DOMAIN_GET_TIME: async (s, a) => (await domain(s, a.dom.uuid)).getTime(a.flags),
  DOMAIN_SET_TIME: async (s, a) =>
    (await domain(s, a.dom.uuid)).setTime({ seconds: a.seconds, nseconds: a.nseconds }, a.flags),
  DOMAIN_GET_FSINFO: async (s, a) => {
    const infos = await (await domain(s, a.dom.uuid)).getFSInfo(a.flags);
    const info = infos.map((f) => ({
      mountpoint: f.mountpoint,
      name: f.name,
      fstype: f.fstype,
      devAliases: f.devAlias,
    }));
    return { info, ret: info.length };
  },
};
