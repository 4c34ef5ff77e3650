import { ErrorCode, ErrorDomain } from './codes.js';
import { VirError } from './vir-error.js';

/**
 * libvirt's virCheckFlags, for the API layer and drivers alike: bits outside `allowed` are
 * refused with "unsupported flags (0x..) in function NAME" (VIR_ERR_INVALID_ARG).
 */
export function checkFlags(flags: number, allowed: number, fn: string, domain: ErrorDomain = ErrorDomain.NONE): void {
  if (!Number.isInteger(flags) || flags < 0) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain,
      message: `flags must be a non-negative integer in ${fn}`,
    });
  }
  const unknown = flags & ~allowed;
  if (unknown !== 0) {
    // virReportInvalidArg words the whole message (no "invalid argument: " prefix).
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain,
      message: `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`,
    });
  }
}
