/** The qemu driver's errors, worded and numbered as libvirt reports them. */
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

export function qemuConfigError(detail: string): VirError {
  return new VirError({ code: ErrorCode.CONFIG_UNSUPPORTED, domain: ErrorDomain.QEMU, detail });
}

export function qemuXmlError(detail: string): VirError {
  return new VirError({ code: ErrorCode.XML_ERROR, domain: ErrorDomain.QEMU, detail });
}

export function qemuInternalError(detail: string): VirError {
  return new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.QEMU, detail });
}
