import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

/** Errors worded and numbered as libvirt's network driver raises them (VIR_FROM_NETWORK). */
export const networkError = (code: ErrorCode, detail?: string, cause?: unknown): VirError =>
  new VirError({ code, domain: ErrorDomain.NETWORK, detail, cause });

export const internalError = (detail: string, cause?: unknown): VirError =>
  networkError(ErrorCode.INTERNAL_ERROR, detail, cause);
