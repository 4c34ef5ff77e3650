import { type Connection, type Domain, ErrorCode, isVirError, type NodeStat } from '@tsvirt/core';
import {
  type HostStatsProcedures,
  NODE_CPU_STATS_MAX,
  NODE_MAX_CELLS,
  NODE_MEMORY_STATS_MAX,
} from '../protocol/host-stats-procedures.js';
import type { ArgsOf, RetOf } from '../protocol/procedures.js';
import { rpcError } from './errors.js';

type Table = typeof HostStatsProcedures;
/** The part of a client session these handlers use. */
interface Session {
  readonly conn: Connection;
}
type Run<K extends keyof Table> = (s: Session, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>>;

/** Asked with nparams 0, libvirtd answers only how many figures there are; else at most nparams of them. */
function someParams(all: NodeStat[], nparams: number, max: number) {
  if (nparams > max) throw rpcError('nparams too large');
  if (nparams === 0) return { params: [], nparams: all.length };
  const params = all.slice(0, nparams);
  return { params, nparams: params.length };
}

/** libvirtd builds domain handles from the wire's name and UUID; ones that are gone are left out. */
async function handles(s: Session, refs: readonly { uuid: string }[]): Promise<Domain[]> {
  const out: Domain[] = [];
  for (const ref of refs) {
    try {
      out.push(await s.conn.lookupDomainByUuid(ref.uuid));
    } catch (err) {
      if (!(isVirError(err) && err.code === ErrorCode.NO_DOMAIN)) throw err;
    }
  }
  return out;
}

export const hostStatsHandlers: { [K in keyof Table]: Run<K> } = {
  NODE_GET_CELLS_FREE_MEMORY: async (s, a) => {
    if (a.maxcells > NODE_MAX_CELLS) throw rpcError('maxCells > REMOTE_NODE_MAX_CELLS');
    return s.conn.getCellsFreeMemory(a.startCell, a.maxcells);
  },
  NODE_GET_CPU_STATS: async (s, a) =>
    someParams(await s.conn.getCpuStats(a.cpuNum, a.flags), a.nparams, NODE_CPU_STATS_MAX),
  NODE_GET_MEMORY_STATS: async (s, a) =>
    someParams(await s.conn.getMemoryStats(a.cellNum, a.flags), a.nparams, NODE_MEMORY_STATS_MAX),
  CONNECT_GET_CPU_MODEL_NAMES: async (s, a) => {
    const models = await s.conn.getCpuModelNames(a.arch, a.flags);
    return { models: a.needResults ? models : [], ret: models.length };
  },
  CONNECT_GET_ALL_DOMAIN_STATS: async (s, a) => {
    let records: Awaited<ReturnType<typeof s.conn.getAllDomainStats>>;
    if (a.doms.length === 0) records = await s.conn.getAllDomainStats(a.stats, a.flags);
    else {
      const doms = await handles(s, a.doms);
      records = doms.length === 0 ? [] : await s.conn.domainListGetStats(doms, a.stats, a.flags);
    }
    return records.map((r) => ({ dom: r.domain.handle, params: [...r.params] }));
  },
};
