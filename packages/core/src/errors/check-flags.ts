import { ErrorCode, ErrorDomain } from './codes.js';
import { VirError } from './vir-error.js';

/**
 * A flags word as libvirt's `unsigned int`: JavaScript's bitwise operators give a negative
 * number when bit 31 is set (`x | 0x80000000`), which names the same bits.
 */
export function unsignedFlags(flags: number): number {
  return Number.isInteger(flags) && flags < 0 && flags >= -0x80000000 ? flags >>> 0 : flags;
}

/**
 * libvirt's virCheckFlags, for the API layer and drivers alike: bits outside `allowed` are
 * refused with "unsupported flags (0x..) in function NAME" (VIR_ERR_INVALID_ARG).
 */
export function checkFlags(flags: number, allowed: number, fn: string, domain: ErrorDomain = ErrorDomain.NONE): void {
  flags = unsignedFlags(flags);
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain,
      message: `flags must be a non-negative integer in ${fn}`,
    });
  }
  const unknown = (flags & ~allowed) >>> 0;
  if (unknown !== 0) {
    // virReportInvalidArg words the whole message (no "invalid argument: " prefix).
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain,
      message: `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`,
    });
  }
}
