/**
 * The public IOThread entry points: libvirt-domain.c's argument checks, then the driver's
 * iothreads group.
 */
import { AffectFlags, hasFlag } from '../contract/flags.js';
import type { DomainIOThreads, IOThreadInfo } from '../contract/iothreads.js';
import type { DomainRef } from '../contract/refs.js';
import type { TypedParameter } from '../contract/typed-parameter.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import type { ConnectionContext } from './context.js';
import { assertWritable, method } from './guards.js';

const invalidArg = (message: string): VirError =>
  new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, message });

function assertLiveOrConfig(flags: number): void {
  if (hasFlag(flags, AffectFlags.LIVE) && hasFlag(flags, AffectFlags.CONFIG)) {
    throw invalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
  }
}

/** virCheckNonZeroArg's refusal. */
function assertNonZero(value: number, what: string, api: string): void {
  if (value === 0) throw invalidArg(`${what} in ${api} must not be zero`);
}

export class DomainIOThreadCalls {
  constructor(
    private readonly ctx: ConnectionContext,
    private readonly dom: DomainRef,
  ) {}

  private op<K extends keyof DomainIOThreads>(name: K, api: string): NonNullable<DomainIOThreads[K]> {
    return method(this.ctx.driver.hypervisor.iothreads, name, api);
  }

  getIOThreadInfo(flags: number): Promise<IOThreadInfo[]> {
    const api = 'virDomainGetIOThreadInfo';
    assertLiveOrConfig(flags);
    return this.op('getIOThreadInfo', api)(this.dom, flags);
  }

  async pinIOThread(iothreadId: number, cpumap: Uint8Array, flags: number): Promise<void> {
    const api = 'virDomainPinIOThread';
    assertWritable(this.ctx.readOnly, api);
    if (!(cpumap.length > 0)) throw invalidArg(`maplen in ${api} must be greater than zero`);
    await this.op('pinIOThread', api)(this.dom, iothreadId, cpumap, flags);
  }

  async addIOThread(iothreadId: number, flags: number): Promise<void> {
    const api = 'virDomainAddIOThread';
    assertWritable(this.ctx.readOnly, api);
    await this.op('addIOThread', api)(this.dom, iothreadId, flags);
  }

  async delIOThread(iothreadId: number, flags: number): Promise<void> {
    const api = 'virDomainDelIOThread';
    assertWritable(this.ctx.readOnly, api);
    assertNonZero(iothreadId, 'iothread_id', api);
    await this.op('delIOThread', api)(this.dom, iothreadId, flags);
  }

  async setIOThreadParams(iothreadId: number, params: readonly TypedParameter[], flags: number): Promise<void> {
    const api = 'virDomainSetIOThreadParams';
    assertWritable(this.ctx.readOnly, api);
    await this.op('setIOThreadParams', api)(this.dom, iothreadId, params, flags);
  }
}
