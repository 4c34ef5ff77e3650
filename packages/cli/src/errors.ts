import { ErrorCode, ErrorDomain, isVirError, strerror, VirError } from '@tsvirt/core';

/** The text virsh prints after `error: ` for a library error it reports. */
export function errorText(err: unknown): string {
  if (isVirError(err)) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** libvirt's system errors for reading a file, worded as virFileReadAll words them. */
export function fileError(what: 'open' | 'read', path: string, cause: NodeJS.ErrnoException): VirError {
  const verb = what === 'open' ? 'Failed to open file' : 'Failed to read file';
  return new VirError({
    code: ErrorCode.SYSTEM_ERROR,
    domain: ErrorDomain.NONE,
    message: `${verb} '${path}': ${strerror(cause)}`,
    cause,
  });
}

/** A command failed; its `error:` lines were already printed. */
export class CommandFailed extends Error {}
