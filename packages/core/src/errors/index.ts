export { ErrorCode, ErrorDomain, ErrorLevel } from './codes.js';
export { formatErrorMessage } from './messages.js';
export { VirError, isVirError, virError, systemError, strerror, type VirErrorInit } from './vir-error.js';
