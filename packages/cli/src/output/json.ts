import { isVirError } from '@tsvirt/core';

/**
 * `--json`: one JSON document per command on stdout, one line each, so a script can read the
 * output of `tsvirsh --json 'cmd1; cmd2'` line by line. BigInts become numbers when they fit,
 * strings otherwise.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    return v;
  })}\n`;
}

/** The document printed for a failed command. */
export function jsonError(messages: readonly string[], cause: unknown): unknown {
  const error: Record<string, unknown> = { message: messages.join('\n') };
  if (isVirError(cause)) {
    error.code = cause.code;
    error.codeName = cause.codeName;
    error.domain = cause.domain;
    error.libvirtMessage = cause.message;
  }
  return { error };
}
