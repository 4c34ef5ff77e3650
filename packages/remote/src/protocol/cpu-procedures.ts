/**
 * The procedures of vCPU information, CPU pinning, the scheduler and the node's CPU map, with
 * remote_protocol.x's layouts and limits. Spread into `Procedures`.
 */
import { type Codec, xarray, xflags, xint, xstring, xstruct, xuhyper, xuint, xvoid } from './codec.js';
import { xdomain } from './objects.js';
import type { ProcedureDef } from './procedures.js';
import { TYPED_PARAM_MIN_SIZE, xtypedParam } from './typed-params.js';

/** REMOTE_CPUMAP_MAX: bytes of one CPU map sent to the daemon. */
export const CPUMAP_MAX = 2048;
/** REMOTE_VCPUINFO_MAX. */
export const VCPUINFO_MAX = 16384;
/** REMOTE_CPUMAPS_MAX: bytes of all CPU maps of one answer. */
export const CPUMAPS_MAX = 8388608;
/** REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX. */
export const SCHEDULER_PARAMETERS_MAX = 16;

/** opaque x<max>: variable-length bytes. */
function xopaque(max: number): Codec<Uint8Array> {
  return { write: (w, v) => void w.opaque(v, max), read: (r) => r.opaque(max) };
}

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}

/** remote_vcpu_info. */
const xvcpuInfo = xstruct({ number: xuint, state: xint, cpuTime: xuhyper, cpu: xint });
const schedParams = xarray(xtypedParam, SCHEDULER_PARAMETERS_MAX, TYPED_PARAM_MIN_SIZE);

export const CpuTuningProcedures = {
  DOMAIN_GET_MAX_VCPUS: def(18, xdomain, xint),
  DOMAIN_GET_VCPUS: def(
    20,
    xstruct({ dom: xdomain, maxinfo: xint, maplen: xint }),
    xstruct({ info: xarray(xvcpuInfo, VCPUINFO_MAX, 20), cpumaps: xopaque(CPUMAPS_MAX) }),
  ),
  DOMAIN_PIN_VCPU: def(26, xstruct({ dom: xdomain, vcpu: xuint, cpumap: xopaque(CPUMAP_MAX) }), xvoid),
  DOMAIN_GET_SCHEDULER_TYPE: def(56, xdomain, xstruct({ type: xstring, nparams: xint })),
  DOMAIN_GET_SCHEDULER_PARAMETERS: def(57, xstruct({ dom: xdomain, nparams: xint }), schedParams),
  DOMAIN_SET_SCHEDULER_PARAMETERS: def(58, xstruct({ dom: xdomain, params: schedParams }), xvoid),
  DOMAIN_GET_VCPUS_FLAGS: def(200, xstruct({ dom: xdomain, flags: xflags }), xint),
  DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS: def(219, xstruct({ dom: xdomain, params: schedParams, flags: xflags }), xvoid),
  DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS: def(223, xstruct({ dom: xdomain, nparams: xint, flags: xflags }), schedParams),
  DOMAIN_PIN_VCPU_FLAGS: def(
    225,
    xstruct({ dom: xdomain, vcpu: xuint, cpumap: xopaque(CPUMAP_MAX), flags: xflags }),
    xvoid,
  ),
  DOMAIN_GET_VCPU_PIN_INFO: def(
    230,
    xstruct({ dom: xdomain, ncpumaps: xint, maplen: xint, flags: xflags }),
    xstruct({ cpumaps: xopaque(CPUMAPS_MAX), num: xint }),
  ),
  DOMAIN_PIN_EMULATOR: def(279, xstruct({ dom: xdomain, cpumap: xopaque(CPUMAP_MAX), flags: xflags }), xvoid),
  DOMAIN_GET_EMULATOR_PIN_INFO: def(
    280,
    xstruct({ dom: xdomain, maplen: xint, flags: xflags }),
    xstruct({ cpumaps: xopaque(CPUMAPS_MAX), ret: xint }),
  ),
  NODE_GET_CPU_MAP: def(
    293,
    xstruct({ needMap: xint, needOnline: xint, flags: xflags }),
    xstruct({ cpumap: xopaque(CPUMAP_MAX), online: xuint, ret: xint }),
  ),
} as const;
