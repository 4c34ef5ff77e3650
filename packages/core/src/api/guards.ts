import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/**
 * The one place an absent optional driver method becomes libvirt's
 * "this function is not supported by the connection driver: virXxx" error.
 */
export function need<T>(method: T | undefined, apiName: string): T {
  if (method === undefined) {
    throw new VirError({ code: ErrorCode.NO_SUPPORT, domain: ErrorDomain.NONE, detail: apiName });
  }
  return method;
}

/** libvirt refuses writes on read-only connections before the driver sees them. */
export function assertWritable(readOnly: boolean, apiName: string): void {
  if (readOnly) {
    throw new VirError({
      code: ErrorCode.OPERATION_DENIED,
      domain: ErrorDomain.NONE,
      detail: `read only access prevents ${apiName}`,
    });
  }
}

/** libvirt's check on flags an API does not know: "unsupported flags (0x..) in function ...". */
export function assertFlags(flags: number, allowed: number, fn: string): void {
  if (!Number.isInteger(flags) || flags < 0) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.NONE,
      message: `flags must be a non-negative integer in ${fn}`,
    });
  }
  const unknown = flags & ~allowed;
  if (unknown !== 0) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.NONE,
      // virReportInvalidArg words the whole message (no "invalid argument: " prefix).
      message: `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`,
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
