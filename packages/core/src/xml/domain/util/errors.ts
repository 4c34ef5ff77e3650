/** The errors domain XML parsing raises, worded as libvirt words them (VIR_FROM_DOMAIN). */
import { ErrorCode, ErrorDomain } from '../../../errors/codes.js';
import { VirError } from '../../../errors/vir-error.js';

/** VIR_ERR_XML_ERROR: "XML error: <detail>". */
export function xmlError(detail: string): VirError {
  return new VirError({ code: ErrorCode.XML_ERROR, domain: ErrorDomain.DOMAIN, detail });
}

/** VIR_ERR_XML_DETAIL: the bare detail, no prefix. */
export function xmlDetail(detail: string): VirError {
  return new VirError({ code: ErrorCode.XML_DETAIL, domain: ErrorDomain.DOMAIN, detail });
}

/** VIR_ERR_CONFIG_UNSUPPORTED: "unsupported configuration: <detail>". */
export function unsupported(detail: string): VirError {
  return new VirError({ code: ErrorCode.CONFIG_UNSUPPORTED, domain: ErrorDomain.DOMAIN, detail });
}

/** VIR_ERR_INTERNAL_ERROR: "internal error: <detail>". */
export function internalError(detail: string): VirError {
  return new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.DOMAIN, detail });
}

/** VIR_ERR_INVALID_ARG: "invalid argument: <detail>". */
export function invalidArg(detail: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, detail });
}

export function domainError(code: ErrorCode, detail?: string): VirError {
  return new VirError({ code, domain: ErrorDomain.DOMAIN, detail });
}
