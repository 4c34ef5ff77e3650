import { type Codec, xarray, xflags, xint, xstring, xstruct, xuhyper, xuint } from './codec.js';
import { MIN_SIZE, xdomain } from './objects.js';
import type { ProcedureDef } from './procedures.js';
import { TYPED_PARAM_MIN_SIZE, xtypedParam } from './typed-params.js';

// Limits of libvirt 9.0's remote_protocol.x for these procedures.
export const NODE_MAX_CELLS = 1024;
export const NODE_CPU_STATS_MAX = 16;
export const NODE_MEMORY_STATS_MAX = 16;
const CPU_MODELS_MAX = 8192;
const DOMAIN_LIST_MAX = 16384;
const GET_ALL_DOMAIN_STATS_MAX = 262144;

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}

/** remote_node_get_cpu_stats / remote_node_get_memory_stats: a field and an unsigned 64-bit value. */
const xnodeStat = xstruct({ field: xstring, value: xuhyper });

/** Host statistics and bulk domain statistics (virNodeGet*, virConnectGetCPUModelNames, virConnectGetAllDomainStats). */
export const HostStatsProcedures = {
  NODE_GET_CELLS_FREE_MEMORY: def(
    101,
    xstruct({ startCell: xint, maxcells: xint }),
    xarray(xuhyper, NODE_MAX_CELLS, 8),
  ),
  NODE_GET_CPU_STATS: def(
    227,
    xstruct({ cpuNum: xint, nparams: xint, flags: xflags }),
    xstruct({ params: xarray(xnodeStat, NODE_CPU_STATS_MAX, 12), nparams: xint }),
  ),
  NODE_GET_MEMORY_STATS: def(
    228,
    xstruct({ nparams: xint, cellNum: xint, flags: xflags }),
    xstruct({ params: xarray(xnodeStat, NODE_MEMORY_STATS_MAX, 12), nparams: xint }),
  ),
  CONNECT_GET_CPU_MODEL_NAMES: def(
    312,
    xstruct({ arch: xstring, needResults: xint, flags: xflags }),
    xstruct({ models: xarray(xstring, CPU_MODELS_MAX), ret: xint }),
  ),
  CONNECT_GET_ALL_DOMAIN_STATS: def(
    344,
    xstruct({ doms: xarray(xdomain, DOMAIN_LIST_MAX, MIN_SIZE.domain), stats: xuint, flags: xflags }),
    xarray(
      xstruct({ dom: xdomain, params: xarray(xtypedParam, GET_ALL_DOMAIN_STATS_MAX, TYPED_PARAM_MIN_SIZE) }),
      DOMAIN_LIST_MAX,
      MIN_SIZE.domain + 4,
    ),
  ),
} as const;
