/**
 * The remote procedures of domain tuning parameters (memory, blkio, NUMA), block info, guest
 * time and guest file systems: numbers and layouts as libvirt 9.0's remote_protocol.x has them.
 */
import { type Codec, xarray, xflags, xhyper, xint, xstring, xstruct, xuhyper, xuint, xvoid } from './codec.js';
import { xdomain } from './objects.js';
import type { ProcedureDef } from './procedures.js';
import { TYPED_PARAM_MIN_SIZE, xtypedParam } from './typed-params.js';

/** REMOTE_DOMAIN_{MEMORY,BLKIO,NUMA}_PARAMETERS_MAX: all three are 16. */
export const DOMAIN_TUNING_PARAMETERS_MAX = 16;
const FSINFO_MAX = 256;
const FSINFO_DISKS_MAX = 256;

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}

const params = xarray(xtypedParam, DOMAIN_TUNING_PARAMETERS_MAX, TYPED_PARAM_MIN_SIZE);
const getArgs = xstruct({ dom: xdomain, nparams: xint, flags: xflags });
const getRet = xstruct({ params, nparams: xint });
const setArgs = xstruct({ dom: xdomain, params, flags: xflags });
const domFlags = xstruct({ dom: xdomain, flags: xflags });

/** remote_domain_fsinfo: three strings and a list of disk targets (at least 16 bytes). */
const xfsinfo = xstruct({
  mountpoint: xstring,
  name: xstring,
  fstype: xstring,
  devAliases: xarray(xstring, FSINFO_DISKS_MAX),
});

export const TuningProcedures = {
  DOMAIN_GET_BLOCK_INFO: def(
    194,
    xstruct({ dom: xdomain, path: xstring, flags: xflags }),
    xstruct({ allocation: xuhyper, capacity: xuhyper, physical: xuhyper }),
  ),
  DOMAIN_SET_MEMORY_PARAMETERS: def(197, setArgs, xvoid),
  DOMAIN_GET_MEMORY_PARAMETERS: def(198, getArgs, getRet),
  DOMAIN_SET_BLKIO_PARAMETERS: def(205, setArgs, xvoid),
  DOMAIN_GET_BLKIO_PARAMETERS: def(206, getArgs, getRet),
  DOMAIN_SET_NUMA_PARAMETERS: def(254, setArgs, xvoid),
  DOMAIN_GET_NUMA_PARAMETERS: def(255, getArgs, getRet),
  DOMAIN_GET_TIME: def(337, domFlags, xstruct({ seconds: xhyper, nseconds: xuint })),
  DOMAIN_SET_TIME: def(338, xstruct({ dom: xdomain, seconds: xhyper, nseconds: xuint, flags: xflags }), xvoid),
  DOMAIN_GET_FSINFO: def(349, domFlags, xstruct({ info: xarray(xfsinfo, FSINFO_MAX, 16), ret: xuint })),
} as const;
