/**
 * The public entry points of vCPU, pinning and scheduler APIs: the argument checks libvirt's
 * libvirt-domain.c makes before any driver sees the call, then the driver's cpuTuning group.
 */
import { type DomainCpuTuning, type DomainVcpuList, type SchedulerType, VcpuFlags } from '../contract/cpu-tuning.js';
import { AffectFlags, hasFlag } from '../contract/flags.js';
import type { DomainRef } from '../contract/refs.js';
import type { TypedParameter } from '../contract/typed-parameter.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import type { ConnectionContext } from './context.js';
import { assertWritable, method } from './guards.js';

/** VIR_TYPED_PARAM_STRING_OKAY: libvirt adds it for drivers that take string parameters. */
const TYPED_PARAM_STRING_OKAY = 1 << 2;

const invalidArg = (message: string): VirError =>
  new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, message });

/** virCheckPositiveArg's refusal. */
function assertPositive(value: number, what: string, api: string): void {
  if (!(value > 0)) throw invalidArg(`${what} in ${api} must be greater than zero`);
}

/** VIR_EXCLUSIVE_FLAGS for LIVE and CONFIG. */
function assertLiveOrConfig(flags: number): void {
  if (hasFlag(flags, AffectFlags.LIVE) && hasFlag(flags, AffectFlags.CONFIG)) {
    throw invalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
  }
}

/** The calls of one domain handle. */
export class DomainCpuCalls {
  constructor(
    private readonly ctx: ConnectionContext,
    private readonly dom: DomainRef,
  ) {}

  private op<K extends keyof DomainCpuTuning>(name: K, api: string): NonNullable<DomainCpuTuning[K]> {
    return method(this.ctx.driver.hypervisor.cpuTuning, name, api);
  }

  getVcpus(maxinfo: number, maplen: number): Promise<DomainVcpuList> {
    assertPositive(maxinfo, 'maxinfo', 'virDomainGetVcpus');
    if (maplen < 0) throw invalidArg('maplen in virDomainGetVcpus must be greater than zero');
    return this.op('getVcpus', 'virDomainGetVcpus')(this.dom, maxinfo, maplen);
  }

  getVcpusFlags(flags: number, api = 'virDomainGetVcpusFlags'): Promise<number> {
    if (hasFlag(flags, VcpuFlags.GUEST)) assertWritable(this.ctx.readOnly, api);
    assertLiveOrConfig(flags);
    return this.op('getVcpusFlags', api)(this.dom, flags);
  }

  async pinVcpu(vcpu: number, cpumap: Uint8Array, flags: number | undefined): Promise<void> {
    const api = flags === undefined ? 'virDomainPinVcpu' : 'virDomainPinVcpuFlags';
    assertWritable(this.ctx.readOnly, api);
    assertPositive(cpumap.length, 'maplen', api);
    await this.op('pinVcpu', api)(this.dom, vcpu, cpumap, flags ?? 0);
  }

  getVcpuPinInfo(ncpumaps: number, maplen: number, flags: number): Promise<Uint8Array[]> {
    const api = 'virDomainGetVcpuPinInfo';
    assertPositive(ncpumaps, 'ncpumaps', api);
    assertPositive(maplen, 'maplen', api);
    assertLiveOrConfig(flags);
    return this.op('getVcpuPinInfo', api)(this.dom, ncpumaps, maplen, flags);
  }

  async pinEmulator(cpumap: Uint8Array, flags: number): Promise<void> {
    const api = 'virDomainPinEmulator';
    assertWritable(this.ctx.readOnly, api);
    assertPositive(cpumap.length, 'maplen', api);
    await this.op('pinEmulator', api)(this.dom, cpumap, flags);
  }

  getEmulatorPinInfo(maplen: number, flags: number): Promise<Uint8Array> {
    const api = 'virDomainGetEmulatorPinInfo';
    assertPositive(maplen, 'maplen', api);
    assertLiveOrConfig(flags);
    return this.op('getEmulatorPinInfo', api)(this.dom, maplen, flags);
  }

  getSchedulerType(): Promise<SchedulerType> {
    return this.op('getSchedulerType', 'virDomainGetSchedulerType')(this.dom);
  }

  getSchedulerParameters(flags: number | undefined): Promise<TypedParameter[]> {
    if (flags === undefined) {
      return this.op('getSchedulerParameters', 'virDomainGetSchedulerParameters')(this.dom, undefined);
    }
    const get = this.op('getSchedulerParameters', 'virDomainGetSchedulerParametersFlags');
    assertLiveOrConfig(flags);
    // Every tsvirt driver takes string parameters, so the flag is always added, as libvirt does.
    return get(this.dom, flags | TYPED_PARAM_STRING_OKAY);
  }

  async setSchedulerParameters(params: readonly TypedParameter[], flags: number | undefined): Promise<void> {
    const api = flags === undefined ? 'virDomainSetSchedulerParameters' : 'virDomainSetSchedulerParametersFlags';
    assertWritable(this.ctx.readOnly, api);
    if (flags !== undefined) assertLiveOrConfig(flags);
    await this.op('setSchedulerParameters', api)(this.dom, params, flags);
  }
}
