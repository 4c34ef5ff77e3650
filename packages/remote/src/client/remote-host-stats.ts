import {
  type BulkDomainStats,
  ErrorCode,
  ErrorDomain,
  type HostStatsDriver,
  type NodeStat,
  VirError,
} from '@tsvirt/core';
import { NODE_MAX_CELLS } from '../protocol/host-stats-procedures.js';
import type { ProcedureCaller } from './remote-program.js';

/** The host statistics over the wire, each one procedure (two where libvirt asks the count first). */
export function remoteHostStats(c: ProcedureCaller): HostStatsDriver {
  /** As libvirt's client: ask how many figures there are, then ask for that many. */
  async function twoStep(ask: (nparams: number) => Promise<{ params: NodeStat[]; nparams: number }>) {
    const { nparams } = await ask(0);
    if (nparams <= 0) return [];
    return (await ask(nparams)).params;
  }
  return {
    getCellsFreeMemory: async (startCell, maxcells) => {
      if (maxcells > NODE_MAX_CELLS) {
        throw new VirError({
          code: ErrorCode.RPC,
          domain: ErrorDomain.REMOTE,
          message: `too many NUMA cells: ${maxcells} > ${NODE_MAX_CELLS}`,
        });
      }
      return c('NODE_GET_CELLS_FREE_MEMORY', { startCell, maxcells });
    },
    getCpuStats: (cpuNum, flags) => twoStep((nparams) => c('NODE_GET_CPU_STATS', { cpuNum, nparams, flags })),
    getMemoryStats: (cellNum, flags) => twoStep((nparams) => c('NODE_GET_MEMORY_STATS', { nparams, cellNum, flags })),
    getCpuModelNames: async (arch, flags) =>
      (await c('CONNECT_GET_CPU_MODEL_NAMES', { arch, needResults: 1, flags })).models,
  };
}

/** virConnectGetAllDomainStats and virDomainListGetStats share one procedure (an empty list means all). */
export function remoteBulkStats(c: ProcedureCaller): BulkDomainStats {
  return {
    getAllDomainStats: async (refs, stats, flags) => {
      const records = await c('CONNECT_GET_ALL_DOMAIN_STATS', { doms: refs ? [...refs] : [], stats, flags });
      return records.map((r) => ({ ref: r.dom, params: r.params }));
    },
  };
}
