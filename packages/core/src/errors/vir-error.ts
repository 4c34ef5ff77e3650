import { ErrorCode, ErrorDomain, ErrorLevel } from './codes.js';
import { formatErrorMessage } from './messages.js';

const MARKER = Symbol.for('tsvirt.VirError');

export interface VirErrorInit {
  code: ErrorCode;
  domain?: ErrorDomain;
  /** The detail libvirt passes to its message template; omitted for the plain wording. */
  detail?: string;
  /** A message already worded in full (for example one received over the wire). */
  message?: string;
  level?: ErrorLevel;
  cause?: unknown;
  str1?: string;
  str2?: string;
  str3?: string;
  int1?: number;
  int2?: number;
}

/**
 * The one error class of tsvirt: libvirt's numeric code and domain, its message wording.
 * Recognise it with `isVirError()`, which works across several loaded copies of core.
 */
export class VirError extends Error {
  readonly code: ErrorCode;
  readonly domain: ErrorDomain;
  readonly level: ErrorLevel;
  readonly str1?: string;
  readonly str2?: string;
  readonly str3?: string;
  readonly int1: number;
  readonly int2: number;

  constructor(init: VirErrorInit) {
    super(init.message ?? formatErrorMessage(init.code, init.detail), { cause: init.cause });
    this.name = 'VirError';
    this.code = init.code;
    this.domain = init.domain ?? ErrorDomain.NONE;
    this.level = init.level ?? ErrorLevel.ERROR;
    this.str1 = init.str1;
    this.str2 = init.str2;
    this.str3 = init.str3;
    this.int1 = init.int1 ?? -1;
    this.int2 = init.int2 ?? -1;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** The code's symbolic name (`NO_DOMAIN`), for logs and `--json` output. */
  get codeName(): string {
    return codeNames.get(this.code) ?? String(this.code);
  }
}

const codeNames = new Map<number, string>(Object.entries(ErrorCode).map(([k, v]) => [v, k]));

export function isVirError(value: unknown): value is VirError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** Shorthand used throughout the drivers: `virError(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "...")`. */
export function virError(code: ErrorCode, domain: ErrorDomain, detail?: string, cause?: unknown): VirError {
  return new VirError({ code, domain, detail, cause });
}

/** libvirt's wording for a failing system call: "<what>: <strerror>". */
export function systemError(domain: ErrorDomain, what: string, cause: NodeJS.ErrnoException): VirError {
  return new VirError({
    code: ErrorCode.SYSTEM_ERROR,
    domain,
    detail: `${what}: ${strerror(cause)}`,
    cause,
    int1: typeof cause.errno === 'number' ? -cause.errno : -1,
  });
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EPERM: 'Operation not permitted',
  ECONNREFUSED: 'Connection refused',
  ENOSPC: 'No space left on device',
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
};

/** The C library's strerror() text for a Node.js errno error. */
export function strerror(err: NodeJS.ErrnoException): string {
  return (err.code && STRERROR[err.code]) || err.message;
}
