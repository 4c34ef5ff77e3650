import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

/** A malformed or over-limit wire value: VIR_ERR_RPC from VIR_FROM_RPC, as libvirt reports them. */
export function xdrError(message: string): VirError {
  return new VirError({ code: ErrorCode.RPC, domain: ErrorDomain.RPC, message });
}
