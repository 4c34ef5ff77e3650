import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { ARCHES } from '../xml/domain/os.js';

/** The x86 CPU models of libvirt 9.0's CPU map, in the map's order. */
const X86_MODELS = [
  '486',
  'pentium',
  'pentium2',
  'pentium3',
  'pentiumpro',
  'coreduo',
  'n270',
  'core2duo',
  'qemu32',
  'kvm32',
  'cpu64-rhel5',
  'cpu64-rhel6',
  'qemu64',
  'kvm64',
  'Conroe',
  'Penryn',
  'Nehalem',
  'Nehalem-IBRS',
  'Westmere',
  'Westmere-IBRS',
  'SandyBridge',
  'SandyBridge-IBRS',
  'IvyBridge',
  'IvyBridge-IBRS',
  'Haswell-noTSX',
  'Haswell-noTSX-IBRS',
  'Haswell',
  'Haswell-IBRS',
  'Broadwell-noTSX',
  'Broadwell-noTSX-IBRS',
  'Broadwell',
  'Broadwell-IBRS',
  'Skylake-Client',
  'Skylake-Client-IBRS',
  'Skylake-Client-noTSX-IBRS',
  'Skylake-Server',
  'Skylake-Server-IBRS',
  'Skylake-Server-noTSX-IBRS',
  'Cascadelake-Server',
  'Cascadelake-Server-noTSX',
  'Icelake-Client',
  'Icelake-Client-noTSX',
  'Icelake-Server',
  'Icelake-Server-noTSX',
  'Cooperlake',
  'Snowridge',
  'athlon',
  'phenom',
  'Opteron_G1',
  'Opteron_G2',
  'Opteron_G3',
  'Opteron_G4',
  'Opteron_G5',
  'EPYC',
  'EPYC-IBPB',
  'EPYC-Rome',
  'EPYC-Milan',
  'Dhyana',
];
/** The ppc64 CPU models of libvirt 9.0's CPU map. */
const PPC64_MODELS = ['POWER6', 'POWER7', 'POWER8', 'POWER9', 'POWER10', 'POWERPC_e5500', 'POWERPC_e6500'];

/**
 * Which model list each architecture's CPU driver has: x86 and ppc64 list the map's models, the
 * arm and s390 drivers accept any model (an empty list).
 */
const MODELS_BY_ARCH: Readonly<Record<string, readonly string[]>> = {
  i686: X86_MODELS,
  x86_64: X86_MODELS,
  ppc64: PPC64_MODELS,
  ppc64le: PPC64_MODELS,
  armv6l: [],
  armv7l: [],
  armv7b: [],
  aarch64: [],
  s390: [],
  s390x: [],
};

/**
 * Every architecture name libvirt 9.0 knows (virArch); the others are not architectures at all.
 * Core's list also has loongarch64, which came in a later libvirt: 9.0 calls it unknown.
 */
const KNOWN_ARCHES = new Set<string>(ARCHES.filter((arch) => arch !== 'loongarch64'));

/**
 * virConnectGetCPUModelNames as libvirt 9.0 answers it, for any driver (the lists belong to
 * libvirt's CPU drivers, not to a hypervisor): an unknown architecture name is the calling
 * driver's INVALID_ARG (`errorDomain`), one without a CPU driver the CPU module's "not supported".
 */
export function cpuModelsOf(arch: string, errorDomain: ErrorDomain): string[] {
  if (!KNOWN_ARCHES.has(arch)) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: errorDomain,
      detail: `cannot find architecture ${arch}`,
    });
  }
  const models = MODELS_BY_ARCH[arch];
  if (!models) {
    throw new VirError({
      code: ErrorCode.NO_SUPPORT,
      domain: ErrorDomain.CPU,
      detail: `'${arch}' architecture is not supported by CPU driver`,
    });
  }
  return [...models];
}
