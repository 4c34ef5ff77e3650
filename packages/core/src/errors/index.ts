export { apiErrorDomain } from './api-domain.js';
export { checkFlags, unsignedFlags } from './check-flags.js';
export { ErrorCode, ErrorDomain, ErrorLevel } from './codes.js';
export { formatErrorMessage } from './messages.js';
export { isVirError, strerror, systemError, VirError, type VirErrorInit, virError } from './vir-error.js';
