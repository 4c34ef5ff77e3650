/** Client side of domain tuning parameters, block info, guest time and guest file systems. */
import type { DomainGuestInfo, DomainRef, DomainTuning, TypedParameterList } from '@tsvirt/core';
import type { ProcedureCaller } from './remote-program.js';

type GetProc = 'DOMAIN_GET_MEMORY_PARAMETERS' | 'DOMAIN_GET_BLKIO_PARAMETERS' | 'DOMAIN_GET_NUMA_PARAMETERS';

/** libvirt's client: the server's count answers nparams 0; otherwise the values are counted. */
async function getParams(
  c: ProcedureCaller,
  proc: GetProc,
  dom: DomainRef,
  nparams: number,
  flags: number,
): Promise<TypedParameterList> {
  const ret = await c(proc, { dom, nparams, flags });
  return nparams === 0 ? { params: [], nparams: ret.nparams } : { params: ret.params, nparams: ret.params.length };
}

/** Memory, blkio and NUMA parameters: libvirt's nparams/params exchange passes straight through. */
export function remoteTuning(c: ProcedureCaller): DomainTuning {
  return {
    getMemoryParameters: (dom, nparams, flags) => getParams(c, 'DOMAIN_GET_MEMORY_PARAMETERS', dom, nparams, flags),
    setMemoryParameters: (dom, params, flags) => c('DOMAIN_SET_MEMORY_PARAMETERS', { dom, params: [...params], flags }),
    getBlkioParameters: (dom, nparams, flags) => getParams(c, 'DOMAIN_GET_BLKIO_PARAMETERS', dom, nparams, flags),
    setBlkioParameters: (dom, params, flags) => c('DOMAIN_SET_BLKIO_PARAMETERS', { dom, params: [...params], flags }),
    getNumaParameters: (dom, nparams, flags) => getParams(c, 'DOMAIN_GET_NUMA_PARAMETERS', dom, nparams, flags),
    setNumaParameters: (dom, params, flags) => c('DOMAIN_SET_NUMA_PARAMETERS', { dom, params: [...params], flags }),
  };
}

export function remoteGuestInfo(c: ProcedureCaller): DomainGuestInfo {
  return {
    getBlockInfo: (dom, path, flags) => c('DOMAIN_GET_BLOCK_INFO', { dom, path, flags }),
    getTime: (dom, flags) => c('DOMAIN_GET_TIME', { dom, flags }),
    setTime: (dom, time, flags) => c('DOMAIN_SET_TIME', { dom, seconds: time.seconds, nseconds: time.nseconds, flags }),
    getFSInfo: async (dom, flags) => {
      const { info } = await c('DOMAIN_GET_FSINFO', { dom, flags });
      return info.map((f) => ({ mountpoint: f.mountpoint, name: f.name, fstype: f.fstype, devAlias: f.devAliases }));
    },
  };
}
