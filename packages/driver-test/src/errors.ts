import { checkFlags as coreCheckFlags, ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

/** Errors worded and numbered as libvirt's test driver raises them. */
export const testError = (code: ErrorCode, detail?: string): VirError =>
  new VirError({ code, domain: ErrorDomain.TEST, detail });

export const noDomain = (): VirError => testError(ErrorCode.NO_DOMAIN);

export const domainNotRunning = (name: string): VirError =>
  testError(ErrorCode.INTERNAL_ERROR, `domain '${name}' not running`);

/** The generic check libvirt's domain code makes before acting on a running domain. */
export const domainInactive = (): VirError =>
  new VirError({ code: ErrorCode.OPERATION_INVALID, domain: ErrorDomain.DOMAIN, detail: 'domain is not running' });

/** libvirt's virCheckFlags, raised from the test driver's error domain. */
export const checkFlags = (flags: number, allowed: number, fn: string): void =>
  coreCheckFlags(flags, allowed, fn, ErrorDomain.TEST);
