/**
 * The IOThread procedures with remote_protocol.x's layouts and limits. Spread into `Procedures`.
 */
import { type Codec, xarray, xflags, xstruct, xuint, xvoid } from './codec.js';
import { CPUMAP_MAX } from './cpu-procedures.js';
import { xdomain } from './objects.js';
import type { ProcedureDef } from './procedures.js';
import { TYPED_PARAM_MIN_SIZE, xtypedParam } from './typed-params.js';

/** REMOTE_IOTHREAD_INFO_MAX. */
export const IOTHREAD_INFO_MAX = 16384;
/** REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX. */
export const IOTHREAD_PARAMS_MAX = 64;

function xopaque(max: number): Codec<Uint8Array> {
  return { write: (w, v) => void w.opaque(v, max), read: (r) => r.opaque(max) };
}

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}

/** remote_domain_iothread_info: the id, then its CPU map (at least 8 bytes encoded). */
const xiothreadInfo = xstruct({ iothreadId: xuint, cpumap: xopaque(CPUMAP_MAX) });
const oneThread = xstruct({ dom: xdomain, iothreadId: xuint, flags: xflags });

export const IOThreadProcedures = {
  DOMAIN_GET_IOTHREAD_INFO: def(
    351,
    xstruct({ dom: xdomain, flags: xflags }),
    xstruct({ info: xarray(xiothreadInfo, IOTHREAD_INFO_MAX, 8), ret: xuint }),
  ),
  DOMAIN_PIN_IOTHREAD: def(
    352,
    xstruct({ dom: xdomain, iothreadsId: xuint, cpumap: xopaque(CPUMAP_MAX), flags: xflags }),
    xvoid,
  ),
  DOMAIN_ADD_IOTHREAD: def(355, oneThread, xvoid),
  DOMAIN_DEL_IOTHREAD: def(356, oneThread, xvoid),
  DOMAIN_SET_IOTHREAD_PARAMS: def(
    402,
    xstruct({
      dom: xdomain,
      iothreadId: xuint,
      params: xarray(xtypedParam, IOTHREAD_PARAMS_MAX, TYPED_PARAM_MIN_SIZE),
      flags: xflags,
    }),
    xvoid,
  ),
} as const;
