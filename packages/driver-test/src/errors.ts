import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

/** Errors worded and numbered as libvirt's test driver raises them. */
export const testError = (code: ErrorCode, detail?: string): VirError =>
  new VirError({ code, domain: ErrorDomain.TEST, detail });

export const noDomain = (): VirError => testError(ErrorCode.NO_DOMAIN);

export const domainNotRunning = (name: string): VirError =>
  testError(ErrorCode.INTERNAL_ERROR, `domain '${name}' not running`);

/** The generic check libvirt's domain code makes before acting on a running domain. */
export const domainInactive = (): VirError =>
  new VirError({ code: ErrorCode.OPERATION_INVALID, domain: ErrorDomain.DOMAIN, detail: 'domain is not running' });

/** libvirt's virCheckFlags: flags a test driver entry point does not know are refused. */
export function checkFlags(flags: number, allowed: number, fn: string): void {
  const unknown = flags & ~allowed;
  if (unknown !== 0) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.TEST,
      // virReportInvalidArg gives the message in full, without "invalid argument: ".
      message: `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`,
    });
  }
}
