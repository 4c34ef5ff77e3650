/**
 * The public entry points of virDomainGet/Set{Memory,Blkio,Numa}Parameters, virDomainGetBlockInfo,
 * virDomainGet/SetTime and virDomainGetFSInfo: libvirt's argument checks, then the driver.
 */
import { AffectFlags, hasFlag } from '../contract/flags.js';
import type { DomainRef } from '../contract/refs.js';
import type {
  DomainBlockInfo,
  DomainFSInfo,
  DomainGuestInfo,
  DomainTime,
  DomainTuning,
  TypedParameterList,
} from '../contract/tuning.js';
import type { TypedParameter } from '../contract/typed-parameter.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import type { ConnectionContext } from './context.js';
import { assertNonEmptyString, method } from './guards.js';

/** VIR_TYPED_PARAM_STRING_OKAY: every tsvirt driver can return string values. */
const STRING_OKAY = 1 << 2;

export type TuningKind = 'Memory' | 'Blkio' | 'Numa';

const invalidArg = (message: string) =>
  new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, message });

/** libvirt's read-only refusal, raised from its domain module as libvirt-domain.c does. */
function assertWritable(readOnly: boolean, api: string): void {
  if (readOnly) {
    throw new VirError({
      code: ErrorCode.OPERATION_DENIED,
      domain: ErrorDomain.DOMAIN,
      detail: `read only access prevents ${api}`,
    });
  }
}

function tuning<K extends keyof DomainTuning>(ctx: ConnectionContext, name: K, api: string) {
  return method(ctx.driver.hypervisor.tuning, name, api);
}
function guest<K extends keyof DomainGuestInfo>(ctx: ConnectionContext, name: K, api: string) {
  return method(ctx.driver.hypervisor.guestInfo, name, api);
}

/** virDomainGet<Kind>Parameters: nparams 0 asks only for the count. */
export async function getParameters(
  ctx: ConnectionContext,
  ref: DomainRef,
  kind: TuningKind,
  nparams: number,
  flags: number,
): Promise<TypedParameterList> {
  const api = `virDomainGet${kind}Parameters`;
  if (!Number.isInteger(nparams) || nparams < 0) throw invalidArg(`nparams in ${api} must be zero or greater`);
  // libvirt checks LIVE against CONFIG here for memory and blkio; numa leaves it to the driver.
  if (kind !== 'Numa' && hasFlag(flags, AffectFlags.LIVE) && hasFlag(flags, AffectFlags.CONFIG)) {
    throw invalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
  }
  const get = tuning(ctx, `get${kind}Parameters`, api);
  return get(ref, nparams, flags | STRING_OKAY);
}

/** virDomainSet<Kind>Parameters. */
export async function setParameters(
  ctx: ConnectionContext,
  ref: DomainRef,
  kind: TuningKind,
  params: readonly TypedParameter[],
  flags: number,
): Promise<void> {
  const api = `virDomainSet${kind}Parameters`;
  assertWritable(ctx.readOnly, api);
  // Blkio accepts an empty list; the other two want at least one parameter.
  if (kind !== 'Blkio' && params.length === 0) throw invalidArg(`nparams in ${api} must be greater than zero`);
  const set = tuning(ctx, `set${kind}Parameters`, api);
  await set(ref, params, flags);
}

export async function getBlockInfo(
  ctx: ConnectionContext,
  ref: DomainRef,
  disk: string,
  flags: number,
): Promise<DomainBlockInfo> {
  assertNonEmptyString(disk, 'disk', 'virDomainGetBlockInfo', ErrorDomain.DOMAIN);
  return guest(ctx, 'getBlockInfo', 'virDomainGetBlockInfo')(ref, disk, flags);
}

/** virDomainGetTime: refused on read-only connections (drivers may ask the guest agent). */
export async function getTime(ctx: ConnectionContext, ref: DomainRef, flags: number): Promise<DomainTime> {
  assertWritable(ctx.readOnly, 'virDomainGetTime');
  return guest(ctx, 'getTime', 'virDomainGetTime')(ref, flags);
}

export async function setTime(ctx: ConnectionContext, ref: DomainRef, time: DomainTime, flags: number): Promise<void> {
  assertWritable(ctx.readOnly, 'virDomainSetTime');
  await guest(ctx, 'setTime', 'virDomainSetTime')(ref, time, flags);
}

/** virDomainGetFSInfo: refused on read-only connections, as libvirt does. */
export async function getFSInfo(ctx: ConnectionContext, ref: DomainRef, flags: number): Promise<DomainFSInfo[]> {
  assertWritable(ctx.readOnly, 'virDomainGetFSInfo');
  return guest(ctx, 'getFSInfo', 'virDomainGetFSInfo')(ref, flags);
}
