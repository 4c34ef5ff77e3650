import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

export const qemuError = (code: ErrorCode, detail?: string, cause?: unknown): VirError =>
  new VirError({ code, domain: ErrorDomain.QEMU, detail, cause });

/** libvirt's qemu driver names what it looked for: "no domain with matching name 'x'". */
export function noDomain(what: string): VirError {
  return qemuError(ErrorCode.NO_DOMAIN, `no domain with matching ${what}`);
}

export const notRunning = (): VirError => qemuError(ErrorCode.OPERATION_INVALID, 'domain is not running');
