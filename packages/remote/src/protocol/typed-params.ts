import { xdrError } from '../xdr/errors.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import type { Codec } from './codec.js';

/** virTypedParameterType: the discriminant of remote_typed_param_value. */
export const TypedParamType = {
  INT: 1,
  UINT: 2,
  LLONG: 3,
  ULLONG: 4,
  DOUBLE: 5,
  BOOLEAN: 6,
  STRING: 7,
} as const;

/** VIR_TYPED_PARAM_FIELD_LENGTH: a field name and its NUL fit in 80 bytes. */
export const TYPED_PARAM_FIELD_LENGTH = 80;
/** VIR_TYPED_PARAM_STRING_OKAY: set in an API's flags when the caller accepts string values. */
export const TYPED_PARAM_STRING_OKAY = 1 << 2;

/** One virTypedParameter as it travels: its field name and a value of one of seven types. */
export type TypedParam = { readonly field: string } & (
  | { readonly type: 'int' | 'uint' | 'double'; readonly value: number }
  | { readonly type: 'llong' | 'ullong'; readonly value: bigint }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
);

function checkField(field: string): void {
  if (new TextEncoder().encode(field).length >= TYPED_PARAM_FIELD_LENGTH) {
    throw xdrError(`Parameter ${field} too big for destination`);
  }
}

function writeParam(w: XdrWriter, p: TypedParam): void {
  checkField(p.field);
  w.string(p.field);
  switch (p.type) {
    case 'int':
      w.int(TypedParamType.INT).int(p.value);
      return;
    case 'uint':
      w.int(TypedParamType.UINT).uint(p.value);
      return;
    case 'llong':
      w.int(TypedParamType.LLONG).hyper(p.value);
      return;
    case 'ullong':
      w.int(TypedParamType.ULLONG).uhyper(p.value);
      return;
    case 'double':
      w.int(TypedParamType.DOUBLE).double(p.value);
      return;
    case 'boolean':
      w.int(TypedParamType.BOOLEAN).int(p.value ? 1 : 0);
      return;
    case 'string':
      w.int(TypedParamType.STRING).string(p.value);
      return;
  }
}

function readParam(r: XdrReader): TypedParam {
  const field = r.string();
  checkField(field);
  const type = r.int();
  switch (type) {
    case TypedParamType.INT:
      return { field, type: 'int', value: r.int() };
    case TypedParamType.UINT:
      return { field, type: 'uint', value: r.uint() };
    case TypedParamType.LLONG:
      return { field, type: 'llong', value: r.hyper() };
    case TypedParamType.ULLONG:
      return { field, type: 'ullong', value: r.uhyper() };
    case TypedParamType.DOUBLE:
      return { field, type: 'double', value: r.double() };
    case TypedParamType.BOOLEAN:
      return { field, type: 'boolean', value: r.int() !== 0 };
    case TypedParamType.STRING:
      return { field, type: 'string', value: r.string() };
    default:
      // rpcgen's union has no default arm: an unknown discriminant fails the whole decode.
      throw xdrError(`Unable to decode message payload: unknown parameter type: ${type}`);
  }
}

/** remote_typed_param. */
export const xtypedParam: Codec<TypedParam> = { write: writeParam, read: readParam };

/** Smallest encoding of a typed parameter: empty field, discriminant, a 4-byte value. */
export const TYPED_PARAM_MIN_SIZE = 12;

/** A typed parameter's value as a 64-bit integer (block and interface figures are integers). */
export function typedParamBigint(p: TypedParam): bigint {
  switch (p.type) {
    case 'llong':
    case 'ullong':
      return p.value;
    case 'int':
    case 'uint':
      return BigInt(p.value);
    case 'double':
      return BigInt(Math.trunc(p.value));
    case 'boolean':
      return p.value ? 1n : 0n;
    case 'string':
      throw xdrError(`Unable to decode message payload: parameter ${p.field} is a string, not a number`);
  }
}

/** Drop string values for a caller that did not set VIR_TYPED_PARAM_STRING_OKAY (as libvirtd does). */
export function stripStrings(params: readonly TypedParam[], flags: number): TypedParam[] {
  if ((flags & TYPED_PARAM_STRING_OKAY) !== 0) return [...params];
  return params.filter((p) => p.type !== 'string');
}
