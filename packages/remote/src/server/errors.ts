import { ErrorCode, ErrorDomain, ErrorLevel, formatErrorMessage, isVirError, VirError } from '@tsvirt/core';
import type { ProcedureApi } from '../protocol/procedure-apis.js';

/** An error worded as libvirtd's RPC layer words it (VIR_ERR_RPC from VIR_FROM_RPC, "%s" template). */
export function rpcError(message: string): VirError {
  return new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.RPC, message, str1: '%s', str2: message });
}

/** libvirtd's answer to a call it cannot decode: the exact wording, whatever our decoder said. */
export function decodeError(): VirError {
  return rpcError('Unable to decode message payload');
}

/**
 * libvirtd's answer to any call but AUTH_LIST / CONNECT_OPEN before the connection is open. It
 * names the hypervisor connection, except for procedures its secondary drivers serve (networks,
 * storage, ...), which just say "connection not open" (measured against libvirtd 9.0:
 * tests/daemon/bad-frames.test.ts). `api` is the procedure's entry in the procedure-API table.
 */
export function notOpenError(api?: Pick<ProcedureApi, 'secondary'>): VirError {
  const detail = api?.secondary ? 'connection not open' : 'hypervisor connection not open';
  return new VirError({
    code: ErrorCode.INTERNAL_ERROR,
    domain: ErrorDomain.RPC,
    message: `internal error: ${detail}`,
    str1: 'internal error: %s',
    str2: detail,
  });
}

/**
 * libvirtd's answer to a procedure whose API the driver behind the connection lacks: the public
 * API refuses read-only connections first when it does, then reports it unsupported, each in the
 * error domain of the API's module.
 */
export function unsupportedApiError(api: ProcedureApi, readOnly: boolean): VirError {
  // libvirtd sends the message template as str1 and the detail as str2.
  if (readOnly && api.refusesReadOnly) {
    const detail = `read only access prevents ${api.api}`;
    return new VirError({
      code: ErrorCode.OPERATION_DENIED,
      domain: api.domain,
      detail,
      str1: formatErrorMessage(ErrorCode.OPERATION_DENIED, '%s'),
      str2: detail,
    });
  }
  return new VirError({
    code: ErrorCode.NO_SUPPORT,
    domain: api.domain,
    detail: api.api,
    str1: formatErrorMessage(ErrorCode.NO_SUPPORT, '%s'),
    str2: api.api,
  });
}

/** A second CONNECT_OPEN on the same client. */
export function alreadyOpenError(): VirError {
  const detail = 'connection already open';
  return new VirError({
    code: ErrorCode.INTERNAL_ERROR,
    domain: ErrorDomain.RPC,
    message: `internal error: ${detail}`,
    str1: 'internal error: %s',
    str2: detail,
  });
}

/** Anything a handler threw, as the VirError that travels back (non-VirErrors become internal errors). */
export function asVirError(err: unknown): VirError {
  if (isVirError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new VirError({
    code: ErrorCode.INTERNAL_ERROR,
    domain: ErrorDomain.RPC,
    message: `internal error: ${detail}`,
    level: ErrorLevel.ERROR,
    cause: err,
  });
}
