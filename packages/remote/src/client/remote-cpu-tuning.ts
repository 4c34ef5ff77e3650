/** The client side of vCPU, pinning and scheduler calls, and the node's CPU map. */
import type { DomainCpuTuning, NodeCpuMap } from '@tsvirt/core';
import type { ProcedureCaller } from './remote-program.js';

/** `count` maps of `maplen` bytes cut out of one buffer. */
function splitMaps(buf: Uint8Array, count: number, maplen: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => buf.slice(i * maplen, (i + 1) * maplen));
}

export function remoteCpuTuning(c: ProcedureCaller): DomainCpuTuning {
  return {
    getVcpus: async (dom, maxinfo, maplen) => {
      const { info, cpumaps } = await c('DOMAIN_GET_VCPUS', { dom, maxinfo, maplen });
      return { info, cpumaps: splitMaps(cpumaps, info.length, maplen) };
    },
    getVcpusFlags: (dom, flags) => c('DOMAIN_GET_VCPUS_FLAGS', { dom, flags }),
    pinVcpu: (dom, vcpu, cpumap, flags) => c('DOMAIN_PIN_VCPU_FLAGS', { dom, vcpu, cpumap, flags }),
    getVcpuPinInfo: async (dom, ncpumaps, maplen, flags) => {
      const { cpumaps, num } = await c('DOMAIN_GET_VCPU_PIN_INFO', { dom, ncpumaps, maplen, flags });
      return splitMaps(cpumaps, num, maplen);
    },
    pinEmulator: (dom, cpumap, flags) => c('DOMAIN_PIN_EMULATOR', { dom, cpumap, flags }),
    getEmulatorPinInfo: async (dom, maplen, flags) =>
      (await c('DOMAIN_GET_EMULATOR_PIN_INFO', { dom, maplen, flags })).cpumaps,
    getSchedulerType: (dom) => c('DOMAIN_GET_SCHEDULER_TYPE', dom),
    // As libvirt's callers: the scheduler type says how many parameters to ask for.
    getSchedulerParameters: async (dom, flags) => {
      const { nparams } = await c('DOMAIN_GET_SCHEDULER_TYPE', dom);
      if (flags === undefined) return c('DOMAIN_GET_SCHEDULER_PARAMETERS', { dom, nparams });
      return c('DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS', { dom, nparams, flags });
    },
    setSchedulerParameters: (dom, params, flags) =>
      flags === undefined
        ? c('DOMAIN_SET_SCHEDULER_PARAMETERS', { dom, params: [...params] })
        : c('DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS', { dom, params: [...params], flags }),
  };
}

/** virNodeGetCPUMap: the map and the online count both asked for. */
export async function remoteCpuMap(c: ProcedureCaller, flags: number): Promise<NodeCpuMap> {
  const r = await c('NODE_GET_CPU_MAP', { needMap: 1, needOnline: 1, flags });
  return { cpus: r.ret, online: r.online, map: r.cpumap };
}
