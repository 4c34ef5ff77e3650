import { ErrorCode, ErrorDomain, type TypedParameter, VirError } from '@tsvirt/core';

const invalid = (code: ErrorCode, detail: string) => new VirError({ code, domain: ErrorDomain.NONE, detail });

/** C's strcmp order of field names (byte order of their UTF-8 text). */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * virTypedParamsValidate: every parameter must be one of `allowed`, of its type, and given once.
 * Like libvirt, both lists are walked in name order, so the first offender by name is reported.
 */
export function validateTypedParams(
  params: readonly TypedParameter[],
  allowed: Readonly<Record<string, TypedParameter['type']>>,
): void {
  const sorted = [...params].sort((x, y) => byteOrder(x.field, y.field));
  const keys = Object.keys(allowed).sort(byteOrder);
  let i = 0;
  let j = 0;
  let last: string | undefined;
  while (i < sorted.length && j < keys.length) {
    const p = sorted[i]!;
    const key = keys[j]!;
    if (p.field !== key) {
      j++;
      continue;
    }
    if (p.field === last) throw invalid(ErrorCode.INVALID_ARG, `parameter '${p.field}' occurs multiple times`);
    if (p.type !== allowed[key]) {
      throw invalid(
        ErrorCode.INVALID_ARG,
        `invalid type '${p.type}' for parameter '${p.field}', expected '${allowed[key]}'`,
      );
    }
    last = p.field;
    i++;
  }
  if (i < sorted.length) {
    throw invalid(ErrorCode.ARGUMENT_UNSUPPORTED, `parameter '${sorted[i]!.field}' not supported`);
  }
}
