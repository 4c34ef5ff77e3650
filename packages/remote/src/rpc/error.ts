import { type ErrorCode, type ErrorDomain, ErrorLevel, formatErrorMessage, VirError } from '@tsvirt/core';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import { type RemoteDomain, readRemoteDomain, readRemoteNetwork, writeRemoteDomain } from './remote-types.js';

/** remote_error / virNetMessageError as it travels. `dom` and `net` are unused by libvirt. */
export interface RemoteError {
  code: number;
  domain: number;
  message?: string;
  level: number;
  dom?: RemoteDomain;
  str1?: string;
  str2?: string;
  str3?: string;
  int1: number;
  int2: number;
}

export function readRemoteError(r: XdrReader): RemoteError {
  const code = r.int();
  const domain = r.int();
  const message = r.optional((x) => x.string());
  const level = r.int();
  const dom = r.optional(readRemoteDomain);
  const str1 = r.optional((x) => x.string());
  const str2 = r.optional((x) => x.string());
  const str3 = r.optional((x) => x.string());
  const int1 = r.int();
  const int2 = r.int();
  r.optional(readRemoteNetwork);
  return { code, domain, message, level, dom, str1, str2, str3, int1, int2 };
}

export function writeRemoteError(w: XdrWriter, e: RemoteError): void {
  w.int(e.code).int(e.domain);
  w.optional(e.message, (x, s) => x.string(s));
  w.int(e.level);
  w.optional(e.dom, writeRemoteDomain);
  w.optional(e.str1, (x, s) => x.string(s));
  w.optional(e.str2, (x, s) => x.string(s));
  w.optional(e.str3, (x, s) => x.string(s));
  w.int(e.int1).int(e.int2);
  w.bool(false);
}

/** The error a peer sent, as the VirError a local driver would have thrown (same code, domain, text). */
export function remoteErrorToVirError(e: RemoteError): VirError {
  const code = e.code as ErrorCode;
  return new VirError({
    code,
    domain: e.domain as ErrorDomain,
    message: e.message ?? formatErrorMessage(code),
    level: (e.level === ErrorLevel.WARNING ? ErrorLevel.WARNING : ErrorLevel.ERROR) as ErrorLevel,
    str1: e.str1,
    str2: e.str2,
    str3: e.str3,
    int1: e.int1,
    int2: e.int2,
  });
}

/** A VirError as remote_error (what a server sends back). */
export function virErrorToRemoteError(err: VirError): RemoteError {
  return {
    code: err.code,
    domain: err.domain,
    message: err.message,
    level: err.level,
    str1: err.str1,
    str2: err.str2,
    str3: err.str3,
    int1: err.int1,
    int2: err.int2,
  };
}
