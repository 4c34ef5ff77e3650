/** One virTypedParameter: a field name and a value of one of libvirt's seven types (tuning, scheduler, stats). */
export type TypedParameter = { readonly field: string } & (
  | { readonly type: 'int' | 'uint' | 'double'; readonly value: number }
  | { readonly type: 'llong' | 'ullong'; readonly value: bigint }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
);
