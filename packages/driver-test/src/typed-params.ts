import { ErrorCode, ErrorDomain, type TypedParameter, VirError } from '@tsvirt/core';

/**
 * libvirt's virTypedParamsValidate: every parameter must be one the API knows, of its type, and
 * given once; its errors come from libvirt's utility code (no driver domain).
 */
export function validateTypedParams(
  params: readonly TypedParameter[],
  allowed: Readonly<Record<string, TypedParameter['type']>>,
): void {
  const seen = new Set<string>();
  for (const p of params) {
    const type = allowed[p.field];
    if (type === undefined) {
      throw new VirError({
        code: ErrorCode.ARGUMENT_UNSUPPORTED,
        domain: ErrorDomain.NONE,
        detail: `parameter '${p.field}' not supported`,
      });
    }
    if (p.type !== type) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.NONE,
        detail: `invalid type '${p.type}' for parameter '${p.field}', expected '${type}'`,
      });
    }
    if (seen.has(p.field)) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.NONE,
        detail: `parameter '${p.field}' occurs multiple times`,
      });
    }
    seen.add(p.field);
  }
}
