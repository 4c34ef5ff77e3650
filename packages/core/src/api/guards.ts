import { apiErrorDomain } from '../errors/api-domain.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/**
 * The one place an absent optional driver method becomes libvirt's
 * "this function is not supported by the connection driver: virXxx" error, reported in the API's
 * module as libvirt reports it.
 */
export function need<T>(method: T | undefined, apiName: string): T {
  if (method === undefined) {
    throw new VirError({ code: ErrorCode.NO_SUPPORT, domain: apiErrorDomain(apiName), detail: apiName });
  }
  return method;
}

/** libvirt refuses writes on read-only connections before the driver sees them (in the API's module). */
export function assertWritable(readOnly: boolean, apiName: string): void {
  if (readOnly) {
    throw new VirError({
      code: ErrorCode.OPERATION_DENIED,
      domain: apiErrorDomain(apiName),
      detail: `read only access prevents ${apiName}`,
    });
  }
}

/** Arguments the API layer checks itself, as libvirt's public entry points do. */
export function assertNonEmpty(value: unknown, what: string, fn: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.NONE,
      message: `${what} in ${fn} must not be NULL`,
    });
  }
}

/**
 * An argument libvirt checks with virCheckNonEmptyStringArg: a missing one is "must not be NULL"
 * as above, an empty one has its own wording and the error domain of the API's module.
 */
export function assertNonEmptyString(
  value: unknown,
  what: string,
  fn: string,
  domain: ErrorDomain,
): asserts value is string {
  if (value === '') {
    throw new VirError({ code: ErrorCode.INVALID_ARG, domain, message: `string ${what} in ${fn} must not be empty` });
  }
  assertNonEmpty(value, what, fn);
}

/** A driver group's method bound to its group, or NO_SUPPORT naming the public API `api`. */
export function method<G extends object, K extends keyof G>(
  group: G | undefined,
  name: K,
  api: string,
): NonNullable<G[K]> {
  const g = need(group, api);
  const fn = need(g[name], api) as (...args: unknown[]) => unknown;
  return fn.bind(g) as NonNullable<G[K]>;
}

/** libvirt's virCheckNonZeroArg: a size or count of 0 is refused before the driver sees it. */
export function assertNonZero(value: number, what: string, fn: string): void {
  if (value === 0) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.DOMAIN,
      message: `${what} in ${fn} must not be zero`,
    });
  }
}
